package io.atelier.platform.security;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * The caller of a bearer-authenticated HTTP request. Use it from {@code @Authenticated} resources (the
 * identity is then resolved before the method runs) or from blocking ones.
 * <p>
 * It reads the security identity's principal rather than an injected {@code JsonWebToken}: with
 * quarkus-oidc also on the classpath that injection point is ambiguous, and OIDC's producer knows
 * nothing of smallrye-jwt identities.
 * <p>
 * It takes the identity from the HTTP request itself rather than from the injected {@code SecurityIdentity}
 * bean: where quarkus-websockets-next is present, that bean resolves through websockets-next's request-scoped
 * identity association (a client proxy, a context lookup and a deferred identity per call), part of the 5 % of
 * a cached list answer's CPU that association cost (bench/workspace, JFR).
 */
@RequestScoped
public class CurrentCaller {

    private final CurrentVertxRequest request;
    private Caller caller;

    CurrentCaller(CurrentVertxRequest request) {
        this.request = request;
    }

    /**
     * @throws UnauthorizedException when the request carries no valid access token (platform/web
     *         answers it with a 401 problem and {@code WWW-Authenticate: Bearer})
     */
    public Caller get() {
        if (caller == null) {
            RoutingContext current = request.getCurrent();
            // Resolved already for @Authenticated methods; a blocking method may wait for a lazy one here.
            SecurityIdentity identity = current == null ? null : QuarkusHttpUser.getSecurityIdentityBlocking(current, null);
            if (identity == null || !(identity.getPrincipal() instanceof JsonWebToken token) || token.getSubject() == null) {
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
