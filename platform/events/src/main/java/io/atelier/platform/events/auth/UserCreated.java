package io.atelier.platform.events.auth;

import java.time.Instant;
import java.util.UUID;

/** A new account; other services replicate id, email and display name. */
public record UserCreated(UUID id, String email, String displayName, Instant createdAt) implements AuthUserEvent {

    public static final String TYPE = "auth.user.created";

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String subject() {
        return id.toString();
    }
}
