import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Scanner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket client for the terminal (./atelier ws URL [TOKEN]): prints every message the server sends,
 * one per line, sends each line typed on stdin, and prints the close code and reason. With a token it
 * sends {@code Authorization: Bearer <token>} in the handshake. It listens until the server closes or
 * Ctrl-C; the end of its input (Ctrl-D, or a script's) only ends the sending.
 */
public class WsClient {

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ./atelier ws <ws://... url> [access token]");
            System.exit(2);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (args.length == 2) {
            builder.header("Authorization", "Bearer " + args[1]);
        }
        WebSocket socket = builder.buildAsync(URI.create(args[0]), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    System.out.println(partial);
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                System.out.println("closed: " + code + " " + reason);
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                System.out.println("error: " + error);
                closed.complete(null);
            }
        }).join();
        Thread input = Thread.ofPlatform().daemon().start(() -> {
            Scanner lines = new Scanner(System.in);
            while (lines.hasNextLine() && !closed.isDone()) {
                socket.sendText(lines.nextLine(), true).join();
            }
        });
        closed.join();
        input.interrupt();
    }
}
