package io.atelier.platform.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;

/** Plain Vert.x, no Quarkus: connections are served on their own event loop, in order, one failure isolated. */
class ConnectionsByEventLoopTest {

    /** A stand-in connection: records which thread each message reached it on. */
    record Connection(String id, List<String> received, List<String> threads) {
        Connection(String id) {
            this(id, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        }

        void take(String message) {
            received.add(message);
            threads.add(Thread.currentThread().getName());
        }
    }

    Vertx vertx;
    ConnectionsByEventLoop<Connection> connections = new ConnectionsByEventLoop<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachConnectionGetsEveryMessageInOrderOnItsOwnEventLoop() throws Exception {
        Context loopA = newEventLoop();
        Context loopB = newEventLoop();
        Map<String, String> loopThreadOf = new ConcurrentHashMap<>();
        for (int i = 0; i < 10; i++) {
            Context loop = i % 2 == 0 ? loopA : loopB;
            // as websockets-next does: each connection on its own duplicate of its event loop's context
            register(((ContextInternal) loop).duplicate(), new Connection("c" + i), loopThreadOf);
        }
        assertThat(connections.size()).isEqualTo(10);
        assertThat(new java.util.HashSet<>(loopThreadOf.values())).hasSize(2);

        for (int m = 0; m < 100; m++) {
            String message = "m" + m;
            connections.fanOut(connection -> connection.take(message));
        }

        List<String> expected = java.util.stream.IntStream.range(0, 100).mapToObj(m -> "m" + m).toList();
        for (int i = 0; i < 10; i++) {
            Connection connection = connections.get("c" + i);
            await().atMost(10, TimeUnit.SECONDS).until(() -> connection.received().size() == 100);
            assertThat(connection.received()).containsExactlyElementsOf(expected);
            assertThat(connection.threads()).containsOnly(loopThreadOf.get(connection.id()));
        }
    }

    @Test
    void successiveFanOutsLargerThanAChunkReachEachConnectionInOrder() throws Exception {
        Context loop = newEventLoop();
        Map<String, String> threads = new ConcurrentHashMap<>();
        int count = 3 * ConnectionsByEventLoop.CHUNK + 5;
        for (int i = 0; i < count; i++) {
            register(loop, new Connection("c" + i), threads);
        }

        for (int m = 0; m < 20; m++) {
            String message = "m" + m;
            connections.fanOut(connection -> connection.take(message));
        }

        List<String> expected = java.util.stream.IntStream.range(0, 20).mapToObj(m -> "m" + m).toList();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> connections.snapshot().stream().allMatch(c -> c.received().size() == 20));
        for (int i = 0; i < count; i++) {
            assertThat(connections.get("c" + i).received()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void workQueuedOnTheLoopDuringAFanOutWaitsForOneChunkNotForTheWholeFanOut() throws Exception {
        Context loop = newEventLoop();
        Map<String, String> threads = new ConcurrentHashMap<>();
        int count = 10 * ConnectionsByEventLoop.CHUNK;
        for (int i = 0; i < count; i++) {
            register(loop, new Connection("c" + i), threads);
        }
        List<String> order = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean probed = new java.util.concurrent.atomic.AtomicBoolean();

        connections.fanOut(connection -> {
            if (probed.compareAndSet(false, true)) {
                // e.g. a Redis command written from this loop while it fans out
                loop.runOnContext(ignored -> order.add("other work"));
            }
            order.add(connection.id());
        });

        await().atMost(10, TimeUnit.SECONDS).until(() -> order.size() == count + 1);
        assertThat(order.indexOf("other work")).isEqualTo(ConnectionsByEventLoop.CHUNK);
    }

    /**
     * Context captures during a send (Mutiny's, for the Uni websockets-next returns) must find a duplicated context
     * current: on the bare event-loop context each one made a new duplicated context and its locals map.
     */
    @Test
    void eachChunkRunsOnAFreshDuplicateOfTheLoopsContext() throws Exception {
        Context loop = newEventLoop();
        Map<String, String> threads = new ConcurrentHashMap<>();
        int count = ConnectionsByEventLoop.CHUNK * 2;
        for (int i = 0; i < count; i++) {
            register(loop, new Connection("c" + i), threads);
        }
        List<Context> seen = new CopyOnWriteArrayList<>();
        connections.fanOut(connection -> seen.add(Vertx.currentContext()));
        await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() == count);

        assertThat(seen).allSatisfy(context -> {
            assertThat(((ContextInternal) context).isDuplicate()).isTrue();
            assertThat(((ContextInternal) context).unwrap()).isSameAs(loop);
        });
        assertThat(seen.subList(0, ConnectionsByEventLoop.CHUNK)).containsOnly(seen.get(0));
        assertThat(seen.get(ConnectionsByEventLoop.CHUNK)).isNotSameAs(seen.get(0));
    }

    @Test
    void aFailingConnectionDoesNotKeepTheMessageFromTheOthers() throws Exception {
        Context loop = newEventLoop();
        Map<String, String> threads = new ConcurrentHashMap<>();
        register(loop, new Connection("broken"), threads);
        register(loop, new Connection("healthy"), threads);

        connections.fanOut(connection -> {
            if (connection.id().equals("broken")) {
                throw new IllegalStateException("socket gone");
            }
            connection.take("hello");
        });

        await().atMost(10, TimeUnit.SECONDS).until(() -> connections.get("healthy").received().contains("hello"));
    }

    @Test
    void aRemovedConnectionGetsNothingMore() throws Exception {
        Context loop = newEventLoop();
        Map<String, String> threads = new ConcurrentHashMap<>();
        Connection gone = new Connection("gone");
        register(loop, gone, threads);
        register(loop, new Connection("stays"), threads);

        assertThat(connections.remove("gone")).isSameAs(gone);
        assertThat(connections.remove("gone")).isNull();
        connections.fanOut(connection -> connection.take("after"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> connections.get("stays").received().contains("after"));
        assertThat(gone.received()).isEmpty();
        assertThat(connections.size()).isEqualTo(1);
        assertThat(connections.get("gone")).isNull();
        assertThat(connections.snapshot()).extracting(Connection::id).containsExactly("stays");
    }

    @Test
    void refusesAConnectionRegisteredOffItsContext() {
        assertThatThrownBy(() -> connections.add("c", new Connection("c")))
                .isInstanceOf(IllegalStateException.class);
    }

    /** A context on the next event loop (getOrCreateContext would hand this test thread the same one again). */
    private Context newEventLoop() {
        return ((VertxInternal) vertx).createEventLoopContext();
    }

    private void register(Context context, Connection connection, Map<String, String> loopThreadOf)
            throws InterruptedException {
        CountDownLatch added = new CountDownLatch(1);
        context.runOnContext(ignored -> {
            connections.add(connection.id(), connection);
            loopThreadOf.put(connection.id(), Thread.currentThread().getName());
            added.countDown();
        });
        assertThat(added.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
