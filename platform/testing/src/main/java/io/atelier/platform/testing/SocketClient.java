package io.atelier.platform.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real WebSocket client (the JDK's) that records what a browser would see: the messages, and the
 * close code and reason the server sent. (A client that stops reading altogether: {@link StalledSocket}.)
 */
public final class SocketClient implements WebSocket.Listener {

    public record Closing(int code, String reason) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final List<String> messages = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Closing> closing = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Connects to {@code uri} (http or ws scheme); {@code handshake} adds headers or sub-protocols. */
    public static SocketClient connect(URI uri, UnaryOperator<WebSocket.Builder> handshake) {
        SocketClient client = new SocketClient();
        URI ws = URI.create(uri.toString().replaceFirst("^http", "ws"));
        client.socket = handshake.apply(HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)))
                .buildAsync(ws, client)
                .orTimeout(30, TimeUnit.SECONDS) // a loaded CI machine is slow; a refused handshake fails at once
                .join();
        return client;
    }

    public static SocketClient connect(URI uri) {
        return connect(uri, builder -> builder);
    }

    /** With {@code Authorization: Bearer <token>}. */
    public static SocketClient connect(URI uri, String token) {
        return connect(uri, builder -> builder.header("Authorization", "Bearer " + token));
    }

    public WebSocket socket() {
        return socket;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public boolean isClosed() {
        return closing.isDone();
    }

    public Closing closingNow() {
        return closing.getNow(null);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closing.complete(new Closing(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closing.completeExceptionally(error);
    }
}
