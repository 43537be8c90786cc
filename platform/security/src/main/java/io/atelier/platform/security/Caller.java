package io.atelier.platform.security;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, as auth-service's access token says: the user ({@code sub}), their email and
 * groups, the sign-in the token belongs to ({@code sid}, null for a token without one) and when the
 * token stops being valid ({@code exp}).
 */
public record Caller(UUID id, String email, Set<String> groups, UUID sessionId, Instant expiresAt) {

    public Caller {
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    /**
     * The caller a verified token names.
     *
     * @throws IllegalArgumentException when the token lacks {@code sub} or {@code exp}, or {@code sub}
     *         or {@code sid} is not a UUID: not a token auth-service issued
     */
    public static Caller of(JsonWebToken token) {
        String subject = token.getSubject();
        if (subject == null || token.getExpirationTime() <= 0) {
            throw new IllegalArgumentException("token without sub or exp");
        }
        String sid = text(token.getClaim("sid"));
        return new Caller(UUID.fromString(subject), text(token.getClaim("email")), token.getGroups(),
                sid == null ? null : UUID.fromString(sid), Instant.ofEpochSecond(token.getExpirationTime()));
    }

    // smallrye-jwt hands custom claims back as Java strings, other implementations as JSON values.
    private static String text(Object claim) {
        return claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
