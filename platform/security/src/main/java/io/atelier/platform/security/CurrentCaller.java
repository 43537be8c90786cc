package io.atelier.platform.security;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller of a bearer-authenticated HTTP request. Use it from {@code @Authenticated} resources (the
 * identity is then resolved before the method runs) or from blocking ones.
 * <p>
 * It reads the security identity's principal rather than an injected {@code JsonWebToken}: with
 * quarkus-oidc also on the classpath that injection point is ambiguous, and OIDC's producer knows
 * nothing of smallrye-jwt identities.
 */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private Caller caller;

    CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /**
     * @throws UnauthorizedException when the request carries no valid access token (platform/web
     *         answers it with a 401 problem and {@code WWW-Authenticate: Bearer})
     */
    public Caller get() {
        if (caller == null) {
            if (!(identity.getPrincipal() instanceof JsonWebToken token) || token.getSubject() == null) {
                throw new UnauthorizedException();
            }
            try {
                caller = Caller.of(token);
            } catch (IllegalArgumentException e) {
                throw new UnauthorizedException("not an Atelier access token", e);
            }
        }
        return caller;
    }
}
