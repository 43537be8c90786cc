package io.atelier.platform.security.socket;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.atelier.platform.web.Challenges;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The access token of a WebSocket handshake in the {@code access_token} query parameter (RFC 6750
 * section 2.3), for browsers. It hands the token to smallrye-jwt exactly as the header mechanism does,
 * so it is verified the same way. It stays out of the way of an {@code Authorization} header (that
 * mechanism runs first) and of every request that is not a guarded handshake.
 */
@ApplicationScoped
class QueryTokenMechanism implements HttpAuthenticationMechanism {

    static final String PARAMETER = "access_token";

    private final SocketAuthConfig config;

    QueryTokenMechanism(SocketAuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!config.queryToken() || !HandshakeGuard.isGuardedHandshake(context, config)
                || context.request().headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            return Uni.createFrom().nullItem();
        }
        List<String> tokens = context.queryParam(PARAMETER);
        if (tokens.isEmpty() || tokens.get(0).isBlank()) {
            return Uni.createFrom().nullItem();
        }
        // Like the header mechanism: the challenge after a failure is this mechanism's.
        context.put(HttpAuthenticationMechanism.class.getName(), this);
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new JsonWebTokenCredential(tokens.get(0))), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(HttpResponseStatus.UNAUTHORIZED.code(),
                HttpHeaderNames.WWW_AUTHENTICATE, Challenges.BEARER));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // After smallrye-jwt's header mechanism (DEFAULT_PRIORITY).
        return DEFAULT_PRIORITY - 100;
    }
}
