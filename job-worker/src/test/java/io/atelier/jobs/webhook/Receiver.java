package io.atelier.jobs.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HTTP server): records each delivery with its headers, checks its
 * signature as a real receiver would, and answers with the status the test chooses per call.
 */
public final class Receiver implements AutoCloseable {

    /** One request as received, and whether its signature verified with the shared secret. */
    public record Delivery(String path, Map<String, List<String>> headers, String body, boolean signatureValid) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

    public Receiver(byte[] secret, IntSupplier status, long delayMillis) throws IOException {
        this(secret, status, () -> delayMillis);
    }

    /** @param delayMillis how long to wait before answering, asked per request */
    public Receiver(byte[] secret, IntSupplier status, LongSupplier delayMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String timestamp = exchange.getRequestHeaders().getFirst(Signature.TIMESTAMP_HEADER);
            String signature = exchange.getRequestHeaders().getFirst(Signature.SIGNATURE_HEADER);
            boolean valid = timestamp != null && Signature.verify(secret, Long.parseLong(timestamp), body, signature);
            deliveries.add(new Delivery(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8), valid));
            try {
                Thread.sleep(delayMillis.getAsLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status.getAsInt(), -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Delivery> deliveries(String path) {
        return deliveries.stream().filter(d -> d.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
