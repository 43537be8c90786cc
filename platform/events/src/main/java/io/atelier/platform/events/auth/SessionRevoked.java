package io.atelier.platform.events.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * One refresh-token family (a sign-in) was revoked. {@code reason} is one of {@code logout},
 * {@code logout-all}, {@code password-changed}, {@code reuse-detected}.
 */
public record SessionRevoked(UUID userId, UUID familyId, String reason, Instant revokedAt) implements AuthUserEvent {

    public static final String TYPE = "auth.session.revoked";

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String subject() {
        return userId.toString();
    }
}
