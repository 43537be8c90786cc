package io.atelier.platform.feeds;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.quarkus.logging.Log;
import io.smallrye.common.vertx.VertxContext;
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
    private final Map<Context, LoopQueue<C>> queues = new ConcurrentHashMap<>();

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
     * Runs {@code action} for every connection registered now, on that connection's own event loop. Never
     * blocks the caller. On each loop the fan-outs are served in the order they were made (so successive
     * fan-outs reach each connection in order), {@link #CHUNK} connections per task: after each chunk the
     * loop runs whatever else was queued on it meanwhile (a Redis command, a Kafka reply, an HTTP answer)
     * before the next chunk, so work that arrives during a fan-out to thousands of sockets waits for one
     * chunk, not for all of them.
     */
    public void fanOut(Consumer<? super C> action) {
        byLoop.forEach((loop, connections) -> {
            if (!connections.isEmpty()) {
                queueOf(loop).add(new ArrayList<>(connections.values()), action);
            }
        });
    }

    private LoopQueue<C> queueOf(Context loop) {
        return queues.computeIfAbsent(loop, LoopQueue::new);
    }

    /** One event loop's fan-outs still to serve, oldest first; at most one task of it is queued on the loop. */
    private static final class LoopQueue<C> {

        private record Work<C>(List<C> connections, Consumer<? super C> action) {
        }

        private final Context loop;
        private final ArrayDeque<Work<C>> waiting = new ArrayDeque<>();
        /** Where the oldest work goes on; touched only on the loop. */
        private int next;
        private boolean scheduled;

        LoopQueue(Context loop) {
            this.loop = loop;
        }

        void add(List<C> connections, Consumer<? super C> action) {
            boolean schedule;
            synchronized (this) {
                waiting.add(new Work<>(connections, action));
                schedule = !scheduled;
                scheduled = true;
            }
            if (schedule) {
                scheduleChunk();
            }
        }

        /** On the loop: the next chunk of the oldest work, then a new task for the rest, behind what came meanwhile. */
        private void serveChunk() {
            Work<C> work;
            synchronized (this) {
                work = waiting.peek();
            }
            int end = Math.min(next + CHUNK, work.connections().size());
            for (int i = next; i < end; i++) {
                apply(work.action(), work.connections().get(i));
            }
            boolean more;
            synchronized (this) {
                if (end == work.connections().size()) {
                    waiting.poll();
                    next = 0;
                } else {
                    next = end;
                }
                more = !waiting.isEmpty();
                scheduled = more;
            }
            if (more) {
                scheduleChunk();
            }
        }

        /**
         * Each chunk runs on a duplicated context of its own, as a request would: on the bare event-loop context,
         * every send's context capture (Mutiny, for the {@code Uni} websockets-next returns) made a new duplicated
         * context with its locals map for OpenTelemetry's context storage, twice per frame; with one per chunk the
         * captures find it current (bench/content: those maps were 82 % of the service's allocations).
         */
        private void scheduleChunk() {
            VertxContext.createNewDuplicatedContext(loop).runOnContext(ignored -> serveChunk());
        }
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
