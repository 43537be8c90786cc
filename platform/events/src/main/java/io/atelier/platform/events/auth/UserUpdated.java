package io.atelier.platform.events.auth;

import java.time.Instant;
import java.util.UUID;

/** An account's replicated fields changed; carries the full new state, not a diff. */
public record UserUpdated(UUID id, String email, String displayName, Instant updatedAt) implements AuthUserEvent {

    public static final String TYPE = "auth.user.updated";

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String subject() {
        return id.toString();
    }
}
