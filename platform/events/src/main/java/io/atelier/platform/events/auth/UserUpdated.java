package io.atelier.platform.events.auth;

import java.time.Instant;
import java.util.UUID;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;

/** An account's replicated fields changed; carries the full new state, not a diff. */
public record UserUpdated(UUID id, String email, String displayName, Instant updatedAt) implements DomainEvent {

    public static final String TYPE = "auth.user.updated";

    @Override
    public String topic() {
        return Topics.AUTH_USER_EVENTS;
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String subject() {
        return id.toString();
    }
}
