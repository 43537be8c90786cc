package io.atelier.auth.token;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Lets smallrye-jwt authenticate bearer tokens in this service with the in-process key ring (no
 * HTTP round trip to its own JWKS); other services use the standard JWKS configuration.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class TokenPrincipalFactory extends JWTCallerPrincipalFactory {

    private final AccessTokens tokens;

    TokenPrincipalFactory(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        try {
            return new DefaultJWTCallerPrincipal(token, "JWT", tokens.verify(token));
        } catch (InvalidTokenException e) {
            throw new ParseException("invalid token", e);
        }
    }
}
