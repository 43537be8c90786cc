package io.atelier.platform.events.auth;

import java.time.Instant;
import java.util.UUID;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;

/**
 * One refresh-token family (a sign-in) was revoked. {@code reason} is one of {@code logout},
 * {@code logout-all}, {@code password-changed}, {@code reuse-detected}.
 */
public record SessionRevoked(UUID userId, UUID familyId, String reason, Instant revokedAt) implements DomainEvent {

    public static final String TYPE = "auth.session.revoked";

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
        return userId.toString();
    }
}
