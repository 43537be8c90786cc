package io.atelier.platform.security.socket;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import io.atelier.platform.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.Closed;
import io.quarkus.websockets.next.Open;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;

/**
 * Closes an authenticated connection with 4401 "token expired" when its token's {@code exp} passes: one
 * timer per connection, set when it opens and cancelled when it closes.
 * <p>
 * Written by hand because websockets-next's own expiry close uses 1008 "Authentication expired" and only
 * for identities carrying {@code quarkus.identity.expire-time}, which smallrye-jwt's do not.
 */
@ApplicationScoped
class TokenExpiry {

    static final UserData.TypedKey<Long> TIMER = UserData.TypedKey.forLong("atelier.socket.expiry-timer");

    private final Vertx vertx;
    private final Clock clock;
    private final Counter expired;

    TokenExpiry(Vertx vertx, Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.clock = clock;
        this.expired = Counter.builder("atelier.websocket.auth.expired")
                .description("WebSocket connections closed with 4401 because their token expired")
                .register(registry);
    }

    void opened(@ObservesAsync @Open WebSocketConnection connection) {
        Caller caller = connection.userData().get(SocketCallers.CALLER);
        if (caller == null) {
            return;
        }
        long delay = Math.max(1, Duration.between(clock.instant(), caller.expiresAt()).toMillis());
        connection.userData().put(TIMER, vertx.setTimer(delay, ignored -> expire(connection)));
        // Both events are asynchronous: if the connection closed before this ran, its @Closed observer
        // may already have found no timer to cancel.
        if (connection.isClosed()) {
            cancel(connection);
        }
    }

    void closed(@ObservesAsync @Closed WebSocketConnection connection) {
        cancel(connection);
    }

    private void cancel(WebSocketConnection connection) {
        Long timer = connection.userData().remove(TIMER);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void expire(WebSocketConnection connection) {
        connection.userData().remove(TIMER);
        if (connection.isClosed()) {
            return;
        }
        expired.increment();
        connection.close(CloseCodes.tokenExpired()).subscribe().with(
                done -> Log.debugf("closed WebSocket connection %s: token expired", connection.id()),
                failure -> Log.debugf(failure, "closing WebSocket connection %s on token expiry failed", connection.id()));
    }
}
