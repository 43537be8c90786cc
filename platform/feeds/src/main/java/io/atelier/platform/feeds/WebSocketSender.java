package io.atelier.platform.feeds;

import java.util.function.Consumer;

import io.quarkus.websockets.next.Connection;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/**
 * A {@link ResumableDelivery}'s frames onto a websockets-next connection. The send's {@code Uni} is
 * subscribed with a bare {@link UniSubscriber}: {@code subscribe().with(...)} decorates each of its two
 * callbacks, so context propagation would capture the thread's contexts twice more for every frame to every
 * socket and restore them once more when it is written, for callbacks that only move the delivery on and need
 * no request context or transaction. (Turning the {@code Uni} into a future would cost the same.)
 */
public final class WebSocketSender {

    private static final IllegalStateException CLOSED = new IllegalStateException("connection closed") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // one shared instance: its stack would say nothing
        }
    };

    private WebSocketSender() {
    }

    public static ResumableDelivery.Sender of(Connection connection) {
        return (message, done) -> {
            if (!connection.isOpen()) {
                done.accept(CLOSED);
                return;
            }
            connection.sendText(message).subscribe().withSubscriber(new Done(done));
        };
    }

    private record Done(Consumer<Throwable> done) implements UniSubscriber<Void> {
        @Override
        public void onSubscribe(UniSubscription subscription) {
            // nothing to cancel: a frame handed over is written or fails
        }

        @Override
        public void onItem(Void item) {
            done.accept(null);
        }

        @Override
        public void onFailure(Throwable failure) {
            done.accept(failure);
        }
    }
}
