package io.atelier.platform.security.socket;

import java.util.Optional;

import io.atelier.platform.security.Caller;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The caller of a WebSocket connection, as its handshake token named them. Works anywhere a
 * connection is at hand: in {@code @OnOpen}/{@code @OnTextMessage}/{@code @OnClose}, and when
 * broadcasting over {@code OpenConnections}.
 */
public final class SocketCallers {

    /** Where {@link CallerUpgradeCheck} keeps the caller: the connection's own user data. */
    static final UserData.TypedKey<Caller> CALLER = new UserData.TypedKey<>("atelier.socket.caller");

    private SocketCallers() {
    }

    /**
     * @throws IllegalStateException when the connection was not authenticated, which only happens for an
     *         endpoint outside {@code atelier.websocket.auth.path-prefix}
     */
    public static Caller of(WebSocketConnection connection) {
        return find(connection).orElseThrow(() -> new IllegalStateException("WebSocket connection " + connection.id()
                + " has no caller; is its endpoint under atelier.websocket.auth.path-prefix?"));
    }

    public static Optional<Caller> find(WebSocketConnection connection) {
        return Optional.ofNullable(connection.userData().get(CALLER));
    }
}
