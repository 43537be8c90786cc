package io.atelier.gateway;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import io.atelier.platform.testing.Loopback;

/**
 * Stand-ins for the services behind the gateway: Vert.x HTTP servers (what Quarkus serves with)
 * holding Quarkus' default request limits, so they refuse exactly what a service would. Each
 * answers with its name, the path and every header the gateway forwarded. Paths ending in
 * {@code /never-answers} get no response (for 504s); {@code /with-own-headers} answers with
 * security headers of its own; {@code /ws/...} upgrade requests become echoing WebSockets.
 */
final class FakeUpstreams implements AutoCloseable {

    /** {@code quarkus.http.limits.max-header-size}, default 20K: all header lines of a request. */
    static final int SERVICE_MAX_HEADER_SIZE = 20 * 1024;
    /** {@code quarkus.http.limits.max-initial-line-length}, default 4096: the request line. */
    static final int SERVICE_MAX_INITIAL_LINE = 4096;

    private final Vertx vertx = Vertx.vertx();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusedByServices = new AtomicInteger();

    /** Starts one fake per service; those named in {@code down} get a port nothing listens on. */
    Map<String, Integer> startAll(Collection<String> services, Collection<String> down) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : services) {
            ports.put(service, down.contains(service) ? Loopback.freePort() : start(service));
        }
        return ports;
    }

    int start(String service) {
        HttpServerOptions options = new HttpServerOptions()
                .setMaxHeaderSize(SERVICE_MAX_HEADER_SIZE)
                .setMaxInitialLineLength(SERVICE_MAX_INITIAL_LINE);
        HttpServer server = vertx.createHttpServer(options)
                .invalidRequestHandler(request -> {
                    // The service answers 414/431/400 itself and closes the connection.
                    refusedByServices.incrementAndGet();
                    HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
                })
                .requestHandler(request -> answer(service, request));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake " + service + " did not start", e);
        }
        servers.add(server);
        return server.actualPort();
    }

    /** How many requests the services refused as malformed or over their limits. */
    int refusedByServices() {
        return refusedByServices.get();
    }

    private static void answer(String service, HttpServerRequest request) {
        String path = request.path();
        if (path.endsWith("/never-answers")) {
            return;
        }
        if (path.startsWith("/ws/") && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(text -> ws.writeTextMessage(service + ":" + text)));
            return;
        }
        request.body().onSuccess(body -> {
            JsonObject headers = new JsonObject();
            request.headers().names().forEach(name -> headers.put(name.toLowerCase(), String.join(",", request.headers().getAll(name))));
            JsonObject json = new JsonObject()
                    .put("service", service)
                    .put("path", path)
                    .put("requestId", orEmpty(request.getHeader("X-Request-Id")))
                    .put("upgrade", orEmpty(request.getHeader("Upgrade")))
                    .put("connection", orEmpty(request.getHeader("Connection")))
                    .put("forwardedFor", orEmpty(request.getHeader("X-Forwarded-For")))
                    .put("headers", headers);
            var response = request.response().putHeader("Content-Type", "application/json");
            if (path.endsWith("/with-own-headers")) {
                response.putHeader("X-Frame-Options", "SAMEORIGIN")
                        .putHeader("X-Content-Type-Options", "sniff-away")
                        .putHeader("Content-Security-Policy", "default-src *")
                        .putHeader("Referrer-Policy", "unsafe-url")
                        .putHeader("X-Powered-By", "Vert.x");
            }
            response.end(json.encode());
        });
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake services did not stop", e);
        }
    }
}
