package io.atelier.platform.feeds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/**
 * An instance's open connections, grouped by the event loop each one lives on, so that one message is
 * handed to them in a few tasks per event loop ({@link #fanOut}) instead of one cross-thread hop per
 * connection from a single thread: each loop writes to its own sockets directly, and the loops work in
 * parallel. (bench/content: with one thread handing 2,000 sockets a task each, that thread was the
 * bottleneck, 13.5 µs per socket; see docs/operations.md for what the per-loop fan-out measured.)
 *
 * <p>A connection is registered from a thread that runs on its Vert.x context (a websockets-next
 * {@code @OnOpen} callback, on the event loop or on a worker for it). Thread-safe.
 */
public final class ConnectionsByEventLoop<C> {

    /** Connections served per event-loop task. */
    static final int CHUNK = 64;

    private final Map<Context, Map<String, C>> byLoop = new ConcurrentHashMap<>();
    private final Map<String, Context> loopOf = new ConcurrentHashMap<>();

    /** Registers {@code connection} under {@code id} on the event loop of the calling thread's Vert.x context. */
    public void add(String id, C connection) {
        Context current = Vertx.currentContext();
        if (current == null) {
            throw new IllegalStateException("add a connection from its own Vert.x context (e.g. its @OnOpen)");
        }
        // Every connection has its own duplicated context; the root one is the event loop they share.
        Context loop = ((ContextInternal) current).unwrap();
        loopOf.put(id, loop);
        byLoop.computeIfAbsent(loop, ignored -> new ConcurrentHashMap<>()).put(id, connection);
    }

    /** @return the connection registered under {@code id}, now removed, or null */
    public C remove(String id) {
        Context loop = loopOf.remove(id);
        if (loop == null) {
            return null;
        }
        Map<String, C> connections = byLoop.get(loop);
        return connections == null ? null : connections.remove(id);
    }

    public C get(String id) {
        Context loop = loopOf.get(id);
        Map<String, C> connections = loop == null ? null : byLoop.get(loop);
        return connections == null ? null : connections.get(id);
    }

    /** The connections registered now, on whatever loop (e.g. to heartbeat them). */
    public List<C> snapshot() {
        List<C> all = new ArrayList<>(loopOf.size());
        byLoop.values().forEach(connections -> all.addAll(connections.values()));
        return all;
    }

    public int size() {
        return loopOf.size();
    }

    /**
     * Runs {@code action} for every registered connection on that connection's own event loop, in tasks of
     * at most {@link #CHUNK} connections, so that a loop with thousands of sockets still answers its other
     * I/O (Redis and Kafka replies, HTTP) between them. Never blocks the caller. Tasks on one loop run in
     * submission order, so successive fan-outs reach each connection in the order they were made.
     */
    public void fanOut(Consumer<? super C> action) {
        byLoop.forEach((loop, connections) -> {
            List<C> chunk = new ArrayList<>(CHUNK);
            for (C connection : connections.values()) {
                chunk.add(connection);
                if (chunk.size() == CHUNK) {
                    submit(loop, chunk, action);
                    chunk = new ArrayList<>(CHUNK);
                }
            }
            if (!chunk.isEmpty()) {
                submit(loop, chunk, action);
            }
        });
    }

    private static <C> void submit(Context loop, List<C> chunk, Consumer<? super C> action) {
        loop.runOnContext(ignored -> chunk.forEach(connection -> apply(action, connection)));
    }

    private static <C> void apply(Consumer<? super C> action, C connection) {
        try {
            action.accept(connection);
        } catch (RuntimeException e) {
            // one broken connection must not keep the message from the others on its loop
            Log.warnf(e, "fan-out to a connection failed");
        }
    }
}
