package io.atelier.platform.events.auth;

import java.time.Instant;
import java.util.UUID;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;

/** A new account; other services replicate id, email and display name. */
public record UserCreated(UUID id, String email, String displayName, Instant createdAt) implements DomainEvent {

    public static final String TYPE = "auth.user.created";

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
