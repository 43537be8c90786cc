package io.atelier.auth.user;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller of a bearer-authenticated request, read from the security identity's principal
 * (smallrye-jwt's). Injecting {@code JsonWebToken} directly is ambiguous here: with quarkus-oidc on
 * the classpath its producer answers, and it knows nothing of smallrye-jwt identities.
 */
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;

    CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public UUID id() {
        return UUID.fromString(token().getSubject());
    }

    /** The sign-in (token family) the access token belongs to: the {@code sid} claim. */
    public UUID sessionId() {
        return UUID.fromString(token().getClaim("sid"));
    }

    private JsonWebToken token() {
        if (identity.getPrincipal() instanceof JsonWebToken token && token.getSubject() != null) {
            return token;
        }
        throw new UnauthorizedException();
    }
}
