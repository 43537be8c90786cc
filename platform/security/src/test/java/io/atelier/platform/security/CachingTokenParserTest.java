package io.atelier.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.MovableClock;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/** Plain JUnit: what is verified once, what again, what never cached. */
class CachingTokenParserTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final CountingVerifier verifier = new CountingVerifier();

    /** Accepts "good-<exp epoch second>", refuses anything else, and counts the calls. */
    private final class CountingVerifier extends JWTCallerPrincipalFactory {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
            calls.incrementAndGet();
            if (!token.startsWith("good-")) {
                throw new ParseException("bad token");
            }
            JwtClaims claims = new JwtClaims();
            claims.setSubject("user");
            claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(Long.parseLong(token.substring(5))));
            return new DefaultJWTCallerPrincipal(token, "JWT", claims);
        }
    }

    private static TokenCacheConfig config(int maxSize, Duration maxAge) {
        return new TokenCacheConfig() {
            @Override
            public int maxSize() {
                return maxSize;
            }

            @Override
            public Duration maxAge() {
                return maxAge;
            }
        };
    }

    private String token(Duration lifetime) {
        return "good-" + clock.instant().plus(lifetime).getEpochSecond();
    }

    @Test
    void aTokenIsVerifiedOnceWhileItIsValid() throws Exception {
        CachingTokenParser parser = new CachingTokenParser(verifier, config(100, Duration.ofMinutes(5)), clock);
        String token = token(Duration.ofMinutes(15));
        JWTCallerPrincipal first = parser.parse(token, null);
        assertThat(parser.parse(token, null)).isSameAs(first);
        parser.parse(token(Duration.ofMinutes(14)), null);
        assertThat(verifier.calls).hasValue(2);
    }

    @Test
    void aCachedTokenIsCheckedAgainOnceItExpires() throws Exception {
        CachingTokenParser parser = new CachingTokenParser(verifier, config(100, Duration.ofMinutes(5)), clock);
        String token = token(Duration.ofSeconds(60));
        parser.parse(token, null);
        clock.advance(Duration.ofSeconds(61));
        parser.parse(token, null); // the verifier decides now (it allows its clock skew)
        assertThat(verifier.calls).hasValue(2);
    }

    @Test
    void refusedTokensAreNeverCached() {
        CachingTokenParser parser = new CachingTokenParser(verifier, config(100, Duration.ofMinutes(5)), clock);
        assertThatThrownBy(() -> parser.parse("forged", null)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> parser.parse("forged", null)).isInstanceOf(ParseException.class);
        assertThat(verifier.calls).hasValue(2);
    }

    @Test
    void sizeZeroVerifiesEveryTime() throws Exception {
        CachingTokenParser parser = new CachingTokenParser(verifier, config(0, Duration.ofMinutes(5)), clock);
        String token = token(Duration.ofMinutes(15));
        parser.parse(token, null);
        parser.parse(token, null);
        assertThat(verifier.calls).hasValue(2);
    }
}
