package io.atelier.auth.session;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.atelier.auth.config.AuthConfig;
import io.atelier.auth.token.AccessTokens;
import io.atelier.auth.user.UserRepository;
import io.atelier.auth.user.UserView;
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
    /** The address was proven by Google; whoever signed up with it before may not have owned it. */
    public static final String REASON_EMAIL_CLAIMED = "email-claimed";

    private final TokenFamilyRepository families;
    private final RefreshTokenRepository refreshTokens;
    private final UserRepository users;
    private final RefreshTokenCodec codec;
    private final AccessTokens accessTokens;
    private final Outbox outbox;
    private final AuthConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;

    SessionService(TokenFamilyRepository families, RefreshTokenRepository refreshTokens, UserRepository users,
            RefreshTokenCodec codec, AccessTokens accessTokens, Outbox outbox, AuthConfig config, MeterRegistry metrics,
            Clock clock) {
        this.families = families;
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.codec = codec;
        this.accessTokens = accessTokens;
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A new sign-in: a new family with its first refresh token, and an access token. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TokenResponse open(UserView user) {
        TokenFamily family = new TokenFamily();
        family.id = UUID.randomUUID();
        family.userId = user.id();
        family.createdAt = clock.instant();
        families.persist(family);
        String refresh = issueRefreshToken(family.id).token();
        return respond(user, family.id, refresh);
    }

    /**
     * Rotates a refresh token. Empty when the token is unknown, expired, revoked, or reused (in which
     * case its family has just been revoked, and that revocation commits).
     */
    @Transactional
    public Optional<TokenResponse> refresh(String presented) {
        Instant now = clock.instant();
        Optional<RefreshToken> found = lockByToken(presented);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RefreshToken token = found.get();
        TokenFamily family = families.lock(token.familyId);
        if (family.isRevoked() || !token.expiresAt.isAfter(now)) {
            return Optional.empty();
        }
        Optional<UserView> user = users.findByIdOptional(family.userId).map(UserView::of);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (token.rotatedAt == null) {
            IssuedRefresh successor = issueRefreshToken(family.id);
            token.rotatedAt = now;
            token.successorId = successor.id();
            token.successorSealed = codec.seal(successor.token());
            metrics.counter("atelier.auth.refresh", "outcome", "rotated").increment();
            return Optional.of(respond(user.get(), family.id, successor.token()));
        }
        boolean withinGrace = !now.isAfter(token.rotatedAt.plus(config.tokens().refreshGraceWindow()));
        if (withinGrace && token.successorSealed != null) {
            RefreshToken successor = refreshTokens.findById(token.successorId);
            if (successor != null && successor.rotatedAt == null) {
                metrics.counter("atelier.auth.refresh", "outcome", "grace").increment();
                return Optional.of(respond(user.get(), family.id, codec.unseal(token.successorSealed)));
            }
            return Optional.empty(); // the other tab has moved on twice already; not theft, just stale
        }
        Log.warnf("refresh token reuse detected for user %s, revoking session %s", family.userId, family.id);
        metrics.counter("atelier.auth.refresh", "outcome", "reuse").increment();
        revoke(family, REASON_REUSE, now);
        return Optional.empty();
    }

    /**
     * Ends the sign-in the token belongs to. A token of an already ended sign-in is fine (logout is
     * idempotent); false when the token was never issued here or has been forgotten.
     */
    @Transactional
    public boolean logout(String presented) {
        Optional<RefreshToken> token = lockByToken(presented);
        token.ifPresent(t -> {
            TokenFamily family = families.lock(t.familyId);
            if (!family.isRevoked()) {
                revoke(family, REASON_LOGOUT, clock.instant());
            }
        });
        return token.isPresent();
    }

    /** Revokes every open sign-in of the user except {@code keep} (may be null: all of them). */
    @Transactional(Transactional.TxType.REQUIRED)
    public int revokeAll(UUID userId, UUID keep, String reason) {
        Instant now = clock.instant();
        int revoked = 0;
        for (TokenFamily family : families.lockOpenOf(userId)) {
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
        return hash == null ? Optional.empty() : refreshTokens.lockByHash(hash);
    }

    private IssuedRefresh issueRefreshToken(UUID familyId) {
        String raw = codec.newToken();
        RefreshToken token = new RefreshToken();
        token.id = UUID.randomUUID();
        token.familyId = familyId;
        token.tokenHash = codec.hash(raw);
        token.createdAt = clock.instant();
        token.expiresAt = token.createdAt.plus(config.tokens().refreshTokenTtl());
        refreshTokens.persist(token);
        return new IssuedRefresh(token.id, raw);
    }

    private TokenResponse respond(UserView user, UUID familyId, String refreshToken) {
        AccessTokens.IssuedAccessToken access = accessTokens.issue(user.id(), user.email(), familyId);
        return new TokenResponse(user, access.token(), refreshToken, "Bearer", access.expiresInSeconds());
    }

    private record IssuedRefresh(UUID id, String token) {
    }
}
