package io.atelier.pipeline.sender;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Source write keys as {@code Authorization: Basic base64(<key>:)} (the key as user name, no password: Segment's
 * model, so existing SDKs work). It sits beside smallrye-jwt's bearer mechanism: each looks only at its own scheme
 * and answers "not mine" (no identity) to the other's, so a request is authenticated by whichever scheme it uses.
 */
@ApplicationScoped
public class WriteKeyMechanism implements HttpAuthenticationMechanism {

    private static final String SCHEME = "basic";
    private static final int MAX_HEADER = 1024;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() < SCHEME.length() + 1
                || !header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return Uni.createFrom().nullItem();
        }
        String key = key(header);
        if (key == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("malformed Basic credentials"));
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new WriteKeyRequest(key), context));
    }

    /** The user-name part of Basic credentials; null when they do not decode or carry no user name. */
    static String key(String header) {
        if (header.length() > MAX_HEADER) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(SCHEME.length() + 1).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        String key = colon < 0 ? decoded : decoded.substring(0, colon);
        return key.isEmpty() ? null : key;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        // The suite's problem mapper answers every 401 with its own Bearer challenge (platform/web Challenges).
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(WriteKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, SCHEME));
    }
}
