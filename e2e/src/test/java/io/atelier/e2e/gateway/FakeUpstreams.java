package io.atelier.e2e.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stand-ins for the services behind the gateway: each answers with its name and the headers the
 * gateway forwarded. Paths ending in {@code /never-answers} get no response at all (for 504s).
 */
final class FakeUpstreams implements AutoCloseable {

    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final List<HttpExchange> hanging = new ArrayList<>();

    int start(String service) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> answer(service, exchange));
            server.start();
            servers.put(service, server);
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(String service, HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().endsWith("/never-answers")) {
            synchronized (hanging) {
                hanging.add(exchange);
            }
            return;
        }
        exchange.getRequestBody().readAllBytes();
        String json = "{\"service\":\"%s\",\"path\":\"%s\",\"requestId\":\"%s\",\"upgrade\":\"%s\",\"connection\":\"%s\",\"forwardedFor\":\"%s\"}"
                .formatted(service, exchange.getRequestURI().getPath(), header(exchange, "X-Request-Id"),
                        header(exchange, "Upgrade"), header(exchange, "Connection"), header(exchange, "X-Forwarded-For"));
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value.replace("\"", "");
    }

    /** A port nothing listens on: the gateway's view of a service that is down. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        synchronized (hanging) {
            hanging.forEach(HttpExchange::close);
        }
    }
}
