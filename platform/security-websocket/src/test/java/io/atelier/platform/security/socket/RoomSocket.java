package io.atelier.platform.security.socket;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.atelier.platform.security.Caller;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/** The test app's endpoint, written the way a service writes one. Room "closed" is not for anyone. */
@Authenticated
@WebSocket(path = "/ws/rooms/{room}")
public class RoomSocket {

    /** How many connections reached {@code @OnOpen}: refused handshakes must never count. */
    private final AtomicInteger opened = new AtomicInteger();
    private final SecurityIdentity identity;

    RoomSocket(SecurityIdentity identity) {
        this.identity = identity;
    }

    int openedCount() {
        return opened.get();
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        opened.incrementAndGet();
        if ("closed".equals(connection.pathParam("room"))) {
            return connection.close(CloseCodes.notAllowed());
        }
        Caller caller = SocketCallers.of(connection);
        return connection.sendText(Map.of(
                "type", "WELCOME",
                "userId", caller.id().toString(),
                "email", caller.email(),
                "sessionId", caller.sessionId().toString(),
                "expiresAt", caller.expiresAt().toString()));
    }

    @OnTextMessage
    public String echo(String message, WebSocketConnection connection) {
        // The caller, and Quarkus' own identity of the connection (smallrye-jwt names it by sub).
        return SocketCallers.of(connection).id() + ":" + identity.getPrincipal().getName() + ":" + message;
    }
}
