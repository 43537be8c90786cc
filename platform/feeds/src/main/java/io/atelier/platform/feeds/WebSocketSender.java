package io.atelier.platform.feeds;

import io.quarkus.websockets.next.Connection;

/**
 * A {@link ResumableDelivery}'s frames onto a websockets-next connection. The send's {@code Uni} is
 * subscribed with plain callbacks: turning it into a future as well would capture the thread's context
 * once more for every frame to every socket.
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
            connection.sendText(message).subscribe().with(ignored -> done.accept(null), done::accept);
        };
    }
}
