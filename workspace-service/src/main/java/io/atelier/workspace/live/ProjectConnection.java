package io.atelier.workspace.live;

import java.time.Instant;
import java.util.UUID;

import io.atelier.platform.feeds.ResumableDelivery;
import io.atelier.platform.security.socket.CloseCodes;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/** One open project socket: whose it is, and what it is sent, in order. */
record ProjectConnection(WebSocketConnection socket, UUID projectId, UUID userId, Instant connectedAt,
        ResumableDelivery delivery) {

    static final CloseReason REMOVED = new CloseReason(CloseCodes.NOT_ALLOWED, "removed from the project");
    static final CloseReason PROJECT_GONE = new CloseReason(CloseCodes.NOT_ALLOWED, "project deleted");

    String id() {
        return socket.id();
    }

    Presence.Entry presence() {
        return new Presence.Entry(projectId, userId, id(), connectedAt);
    }

    /** Runs on the connection's event loop (ConnectionsByEventLoop); never blocks. */
    void deliver(LiveMessage message) {
        switch (message.type()) {
            case CURSOR_UPDATE -> {
                if (!id().equals(message.from())) {
                    delivery.offerDroppable(message.frame());
                }
            }
            case PROJECT_DELETED -> close(PROJECT_GONE);
            case MEMBER_REMOVED -> {
                if (userId.equals(message.subject())) {
                    close(REMOVED);
                } else {
                    delivery.offerLive(message.position(), message.frame());
                }
            }
            default -> delivery.offerLive(message.position(), message.frame());
        }
    }

    void close(CloseReason reason) {
        delivery.close();
        if (socket.isOpen()) {
            socket.close(reason).subscribe().with(ignored -> { }, ignored -> { });
        }
    }
}
