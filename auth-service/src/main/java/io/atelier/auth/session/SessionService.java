package io.atelier.auth.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.atelier.auth.account.User;
import io.atelier.auth.config.AuthConfig;
import io.atelier.auth.token.AccessTokens;
import io.atelier.platform.events.auth.SessionRevoked;
import io.atelier.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Sign-in sessions as refresh-token families: open, rotate on every use, revoke. Reuse of a rotated
 * token after the grace window is treated as theft: the whole family is revoked.
 */
@ApplicationScoped
public class SessionService {

    public static final String REASON_LOGOUT = "logout";
    public static final String REASON_LOGOUT_ALL = "logout-all";
    public static final String REASON_PASSWORD_CHANGED = "password-changed";
    public static final String REASON_REUSE = "reuse-detected";

    private final RefreshTokenCodec codec;
    private final AccessTokens accessTokens;
    private final Outbox outbox;
    private final AuthConfig config;
    private final MeterRegistry metrics;

    SessionService(RefreshTokenCodec codec, AccessTokens accessTokens, Outbox outbox, AuthConfig config,
            MeterRegistry metrics) {
        this.codec = codec;
        this.accessTokens = accessTokens;
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
    }

    /** A new sign-in: a new family with its first refresh token, and an access token. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TokenPair open(User user) {
        TokenFamily family = new TokenFamily();
        family.id = UUID.randomUUID();
        family.userId = user.id;
        family.createdAt = Instant.now();
        family.persist();
        String refresh = issueRefreshToken(family.id).token();
        return pair(user, family.id, refresh);
    }

    /**
     * Rotates a refresh token. Empty when the token is unknown, expired, revoked, or reused (in which
     * case its family has just been revoked, and that revocation commits).
     */
    @Transactional
    public Optional<TokenPair> refresh(String presented) {
        Instant now = Instant.now();
        Optional<RefreshToken> found = lockByToken(presented);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RefreshToken token = found.get();
        TokenFamily family = TokenFamily.findById(token.familyId, LockModeType.PESSIMISTIC_WRITE);
        if (family.isRevoked() || !token.expiresAt.isAfter(now)) {
            return Optional.empty();
        }
        User user = User.findById(family.userId);
        if (token.rotatedAt == null) {
            IssuedRefresh successor = issueRefreshToken(family.id);
            token.rotatedAt = now;
            token.successorId = successor.id();
            token.successorSealed = codec.seal(successor.token());
            metrics.counter("atelier.auth.refresh", "outcome", "rotated").increment();
            return Optional.of(pair(user, family.id, successor.token()));
        }
        boolean withinGrace = !now.isAfter(token.rotatedAt.plus(config.tokens().refreshGraceWindow()));
        if (withinGrace && token.successorSealed != null) {
            RefreshToken successor = RefreshToken.findById(token.successorId);
            if (successor != null && successor.rotatedAt == null) {
                metrics.counter("atelier.auth.refresh", "outcome", "grace").increment();
                return Optional.of(pair(user, family.id, codec.unseal(token.successorSealed)));
            }
            return Optional.empty(); // the other tab has moved on twice already; not theft, just stale
        }
        Log.warnf("refresh token reuse detected for user %s, revoking session %s", family.userId, family.id);
        metrics.counter("atelier.auth.refresh", "outcome", "reuse").increment();
        revoke(family, REASON_REUSE, now);
        return Optional.empty();
    }

    /** Ends the sign-in the token belongs to; unknown tokens are ignored (logout is idempotent). */
    @Transactional
    public void logout(String presented) {
        lockByToken(presented).ifPresent(token -> {
            TokenFamily family = TokenFamily.findById(token.familyId, LockModeType.PESSIMISTIC_WRITE);
            if (!family.isRevoked()) {
                revoke(family, REASON_LOGOUT, Instant.now());
            }
        });
    }

    /** Revokes every open sign-in of the user except {@code keep} (may be null: all of them). */
    @Transactional(Transactional.TxType.REQUIRED)
    public int revokeAll(UUID userId, UUID keep, String reason) {
        List<TokenFamily> open = TokenFamily.find("userId = ?1 and revokedAt is null", userId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
        Instant now = Instant.now();
        int revoked = 0;
        for (TokenFamily family : open) {
            if (!family.id.equals(keep)) {
                revoke(family, reason, now);
                revoked++;
            }
        }
        return revoked;
    }

    private void revoke(TokenFamily family, String reason, Instant now) {
        family.revokedAt = now;
        family.revokeReason = reason;
        outbox.publish(new SessionRevoked(family.userId, family.id, reason, now));
    }

    private Optional<RefreshToken> lockByToken(String presented) {
        byte[] hash = codec.hash(presented);
        if (hash == null) {
            return Optional.empty();
        }
        return RefreshToken.find("tokenHash", hash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    private IssuedRefresh issueRefreshToken(UUID familyId) {
        String raw = codec.newToken();
        RefreshToken token = new RefreshToken();
        token.id = UUID.randomUUID();
        token.familyId = familyId;
        token.tokenHash = codec.hash(raw);
        token.createdAt = Instant.now();
        token.expiresAt = token.createdAt.plus(config.tokens().refreshTokenTtl());
        token.persist();
        return new IssuedRefresh(token.id, raw);
    }

    private TokenPair pair(User user, UUID familyId, String refreshToken) {
        AccessTokens.IssuedAccessToken access = accessTokens.issue(user.id, user.email, familyId);
        return new TokenPair(user, access.token(), refreshToken, access.expiresInSeconds());
    }

    private record IssuedRefresh(UUID id, String token) {
    }

    public record TokenPair(User user, String accessToken, String refreshToken, long expiresIn) {
    }
}
