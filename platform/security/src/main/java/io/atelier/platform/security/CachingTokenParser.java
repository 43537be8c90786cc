package io.atelier.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies each distinct access token once. Decrypting the JWE and checking the RS256 signature costs
 * about a fifth of a cheap request's CPU; a client sends the same token with every request for up to
 * 15 minutes, so the verified principal is kept, keyed by the exact token text, until the earlier of
 * the token's {@code exp} and {@code atelier.tokens.cache.max-age} (which bounds how long a token signed
 * by a key withdrawn from the JWKS stays accepted). Bounded by {@code atelier.tokens.cache.max-size};
 * a refused token is never cached, so every retry of a bad token is checked again.
 *
 * <p>An {@code @Alternative} of low priority: a service with its own factory (auth-service verifies
 * with its in-process key ring) takes precedence.
 */
@ApplicationScoped
@Alternative
@Priority(0)
public class CachingTokenParser extends JWTCallerPrincipalFactory {

    private final JWTCallerPrincipalFactory verifier;
    private final Cache<String, JWTCallerPrincipal> verified;
    private final Clock clock;
    private final boolean enabled;

    @jakarta.inject.Inject
    CachingTokenParser(TokenCacheConfig config, Clock clock) {
        this(new DefaultJWTCallerPrincipalFactory(), config, clock);
    }

    /** @param verifier what checks a token the cache does not hold (smallrye-jwt's own parser) */
    CachingTokenParser(JWTCallerPrincipalFactory verifier, TokenCacheConfig config, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
        this.enabled = config.maxSize() > 0 && !config.maxAge().isZero();
        Duration maxAge = config.maxAge();
        this.verified = Caffeine.newBuilder()
                .maximumSize(Math.max(1, config.maxSize()))
                .expireAfter(new Expiry<String, JWTCallerPrincipal>() {
                    @Override
                    public long expireAfterCreate(String token, JWTCallerPrincipal principal, long now) {
                        Duration untilExp = Duration.between(clock.instant(),
                                Instant.ofEpochSecond(principal.getExpirationTime()));
                        Duration keep = untilExp.compareTo(maxAge) < 0 ? untilExp : maxAge;
                        return Math.max(0, keep.toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String token, JWTCallerPrincipal principal, long now, long current) {
                        return current;
                    }

                    @Override
                    public long expireAfterRead(String token, JWTCallerPrincipal principal, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        if (!enabled) {
            return verifier.parse(token, context);
        }
        JWTCallerPrincipal cached = verified.getIfPresent(token);
        if (cached != null && clock.instant().getEpochSecond() < cached.getExpirationTime()) {
            return cached;
        }
        JWTCallerPrincipal principal = verifier.parse(token, context);
        verified.put(token, principal);
        return principal;
    }
}
