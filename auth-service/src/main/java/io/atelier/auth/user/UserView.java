package io.atelier.auth.user;

import java.time.Instant;
import java.util.UUID;

/** A user as the API shows it (token responses and {@code /me}). */
public record UserView(UUID id, String email, String displayName, Instant createdAt) {

    public static UserView of(User user) {
        return new UserView(user.id, user.email, user.displayName, user.createdAt);
    }
}
