package io.atelier.platform.security.socket;

import java.time.Clock;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;

import io.atelier.platform.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.atelier.platform.web.Challenges;
import io.atelier.platform.web.ProblemResponse;
import io.atelier.platform.web.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a WebSocket handshake without a valid access token by accepting it and closing at once with
 * 4401 and a reason ("token missing", "token invalid", "token expired").
 * <p>
 * Why not refuse the upgrade with 401, as websockets-next does for an {@code @Authenticated} endpoint:
 * a browser's WebSocket API never shows the status of a refused handshake (only a 1006 close), so a
 * client could not tell "get a new token" from "server down". A close code it can read.
 * <p>
 * It runs as an HTTP filter after Quarkus' authentication filter (which only prepares the identity,
 * authentication being lazy) and before the endpoint's route: it resolves the identity from whichever
 * token the handshake carries (header, sub-protocol header, query parameter), and only a handshake
 * with a caller reaches the endpoint, whose {@code @Authenticated} then passes.
 */
@ApplicationScoped
class HandshakeGuard {

    /** After Quarkus' authentication filter, before authorization and the routes. */
    static final int PRIORITY = SecurityHandlerPriorities.AUTHENTICATION - 10;

    // The guard answers authentication failures of its handshakes itself (a 4401 close); Quarkus'
    // default handler would otherwise send its 401 challenge first.
    private static final BiConsumer<RoutingContext, Throwable> LEFT_TO_THE_GUARD = (context, failure) -> {
    };

    private final SocketAuthConfig config;
    private final Clock clock;
    private final Counter missing;
    private final Counter invalid;
    private final Counter expired;

    HandshakeGuard(SocketAuthConfig config, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        this.missing = refusals(registry, "missing");
        this.invalid = refusals(registry, "invalid");
        this.expired = refusals(registry, "expired");
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    static boolean isGuardedHandshake(RoutingContext context, SocketAuthConfig config) {
        return context.request().headers().contains(HandshakeRequest.SEC_WEBSOCKET_KEY)
                && context.normalizedPath().startsWith(config.pathPrefix());
    }

    private void guard(RoutingContext context) {
        if (!isGuardedHandshake(context, config)) {
            context.next();
            return;
        }
        context.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, LEFT_TO_THE_GUARD);
        // Token verification may finish on a worker thread (a JWKS fetched over HTTP): come back to the
        // request's own context before touching it.
        Context requestContext = Vertx.currentContext();
        identity(context).subscribe().with(
                identity -> onContext(requestContext, () -> decide(context, identity)),
                failure -> onContext(requestContext, () -> refuse(context, refusal(failure))));
    }

    private void decide(RoutingContext context, SecurityIdentity identity) {
        CloseReason refusal = refusal(identity);
        if (refusal == null) {
            context.next();
        } else {
            refuse(context, refusal);
        }
    }

    private CloseReason refusal(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return CloseCodes.tokenMissing();
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return CloseCodes.tokenInvalid();
        }
        Caller caller;
        try {
            caller = Caller.of(token);
        } catch (IllegalArgumentException e) {
            return CloseCodes.tokenInvalid();
        }
        // smallrye-jwt tolerates a little clock skew; a socket opened with an expired token would only
        // be closed by its expiry timer a moment later, so say so now.
        return caller.expiresAt().isAfter(clock.instant()) ? null : CloseCodes.tokenExpired();
    }

    private static CloseReason refusal(Throwable failure) {
        if (!(failure instanceof AuthenticationFailedException)) {
            Log.warnf(failure, "WebSocket handshake authentication failed unexpectedly");
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // jose4j checks the signature before the claims, so only a genuine token is ever "expired".
            if (cause instanceof InvalidJwtException jwt && jwt.hasExpired()) {
                return CloseCodes.tokenExpired();
            }
        }
        return CloseCodes.tokenInvalid();
    }

    private void refuse(RoutingContext context, CloseReason reason) {
        count(reason);
        Log.debugf("WebSocket handshake to %s refused: %s", context.normalizedPath(), reason.getMessage());
        context.request().toWebSocket().onComplete(upgrade -> {
            if (upgrade.succeeded()) {
                upgrade.result().close((short) reason.getCode(), reason.getMessage());
            } else if (!context.response().ended()) {
                // Not a handshake Vert.x could complete: a plain HTTP answer is all that is left.
                ProblemResponse.of(ProblemType.http(401)).detail(reason.getMessage()).instance(context.normalizedPath())
                        .header(HttpHeaderNames.WWW_AUTHENTICATE.toString(), Challenges.BEARER).send(context.response());
            }
        });
    }

    private void count(CloseReason reason) {
        if (reason == CloseCodes.tokenMissing()) {
            missing.increment();
        } else if (reason == CloseCodes.tokenExpired()) {
            expired.increment();
        } else {
            invalid.increment();
        }
    }

    private static Uni<SecurityIdentity> identity(RoutingContext context) {
        if (context.user() instanceof QuarkusHttpUser user) {
            return Uni.createFrom().item(user.getSecurityIdentity());
        }
        Uni<SecurityIdentity> deferred = context.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        return deferred == null ? Uni.createFrom().nullItem() : deferred;
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || context == Vertx.currentContext()) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    private static Counter refusals(MeterRegistry registry, String reason) {
        return Counter.builder("atelier.websocket.auth.refused")
                .description("WebSocket handshakes closed with 4401, by reason")
                .tag("reason", reason)
                .register(registry);
    }
}
