package io.atelier.platform.outbox;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.events.Backoff;
import io.atelier.platform.events.EventContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.internal.InstrumentationUtil;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes committed outbox rows to Kafka in commit order and marks them sent.
 *
 * <p>Woken after every commit that recorded an event and polled on a timer for anything missed.
 * One relay per service schema works at a time (a PostgreSQL advisory lock), so replicas never
 * reorder an aggregate's events. A row is marked sent only once the broker acknowledged it
 * ({@code acks=all}); while the broker is away rows wait, nothing is lost, and attempts back off.
 * Delivery is at least once: consumers dedupe with {@link ConsumedEvents}.
 *
 * <p>Each event goes out with the context it was recorded in: the request id and the recording span
 * as CloudEvents extensions ({@code ce_requestid}, {@code ce_traceparent}, {@code ce_tracestate}), and
 * its send traced as a child of that span (the messaging instrumentation then writes the producer
 * span's {@code traceparent} header). The relay's own polling, locking and marking is never traced.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final String TRY_LOCK =
            "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.atelier_outbox'))";
    private static final String PENDING = """
            SELECT seq, id, topic, event_key, event_type, payload, created_at, request_id, traceparent, tracestate
            FROM atelier_outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?""";
    private static final String MARK_SENT = "UPDATE atelier_outbox SET sent_at = now() WHERE seq = ANY (?)";

    private final AgroalDataSource dataSource;
    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final ExecutorService executor;
    private final URI source;
    private final Counter sent;
    private final Counter failures;
    private final Timer lag;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Instant pausedUntil = Instant.MIN;
    private Duration backoff = Duration.ZERO; // only touched by the one running drain

    OutboxRelay(AgroalDataSource dataSource,
            @Channel("atelier-outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048) MutinyEmitter<String> emitter,
            OutboxConfig config, ExecutorService executor, MeterRegistry metrics,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.dataSource = dataSource;
        this.emitter = emitter;
        this.config = config;
        this.executor = executor;
        this.source = URI.create(config.source().orElse(applicationName));
        this.sent = metrics.counter("atelier.outbox.sent");
        this.failures = metrics.counter("atelier.outbox.send.failures");
        this.lag = Timer.builder("atelier.outbox.lag").description("From commit of the event to broker acknowledgement")
                .register(metrics);
    }

    @Scheduled(every = "${atelier.outbox.poll-interval}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        wake();
    }

    /** Asks for a relay pass soon; cheap and safe to call from any thread, any number of times. */
    public void wake() {
        requested.set(true);
        if (running.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        // The relay's own work belongs to no request: no request id left over from the thread's past in
        // its log lines, and no spans. With JDBC tracing on, each poll's queries would otherwise be root
        // traces of their own, every second, in every service. InstrumentationUtil is OpenTelemetry's
        // switch for exactly this (its exporters use it); every instrumenter checks it. It lives in an
        // internal package: should a version move it, this stops compiling rather than changing quietly.
        try (Scope noRequest = EventContext.NONE.open()) {
            InstrumentationUtil.suppressInstrumentation(this::relayWhileRequested);
        } finally {
            running.set(false);
        }
        // A wake() that raced with the end of the loop above must not wait for the next poll.
        if (requested.get() && Instant.now().isAfter(pausedUntil)) {
            wake();
        }
    }

    private void relayWhileRequested() {
        while (requested.getAndSet(false) && Instant.now().isAfter(pausedUntil)) {
            relayAll();
        }
    }

    private void relayAll() {
        while (true) {
            // After a failure only one event goes out until the broker acknowledges again: sends the
            // relay gave up on could otherwise still be delivered later, ahead of the retried ones.
            int limit = backoff.isZero() ? config.batchSize() : 1;
            Batch batch;
            try {
                batch = relayBatch(limit);
            } catch (SQLException | RuntimeException e) {
                batch = new Batch(0, 0, e);
            }
            if (batch.failure() != null) {
                backOff(batch);
                return;
            }
            if (!backoff.isZero()) {
                Log.infof("outbox relay: broker reachable again, delivering");
                backoff = Duration.ZERO;
            }
            if (batch.read() < limit) {
                return;
            }
        }
    }

    /**
     * One local JDBC transaction, deliberately not JTA: a JTA context would be propagated into the
     * messaging callbacks, and a failed send there would doom the transaction that marks rows sent.
     */
    private Batch relayBatch(int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Batch batch = relayBatch(connection, limit);
                connection.commit();
                return batch;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private Batch relayBatch(Connection connection, int limit) throws SQLException {
        if (!tryLock(connection)) {
            return new Batch(0, 0, null); // another replica is relaying this schema right now
        }
        List<PendingEvent> pending = pending(connection, limit);
        if (pending.isEmpty()) {
            return new Batch(0, 0, null);
        }
        Context untraced = Context.current(); // drain's: no request, instrumentation suppressed
        List<CompletableFuture<Void>> acks = new ArrayList<>(pending.size());
        for (PendingEvent event : pending) {
            acks.add(emitter.sendMessage(toMessage(event, untraced)).subscribeAsCompletionStage());
        }
        // Every send settles (acknowledged or failed) before anything is marked, and only the
        // acknowledged prefix is: a gap would let a later event overtake an earlier one.
        List<Long> delivered = new ArrayList<>(pending.size());
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        Throwable failure = null;
        for (int i = 0; i < pending.size(); i++) {
            Throwable error = awaitAck(acks.get(i), deadline);
            if (error == null && failure == null) {
                delivered.add(pending.get(i).seq());
                lag.record(Duration.between(pending.get(i).createdAt(), Instant.now()));
            } else if (failure == null) {
                failure = error;
            }
        }
        markSent(connection, delivered);
        sent.increment(delivered.size());
        return new Batch(pending.size(), delivered.size(), failure);
    }

    private static Throwable awaitAck(CompletableFuture<Void> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private void backOff(Batch batch) {
        failures.increment();
        boolean firstFailure = backoff.isZero();
        backoff = Backoff.next(backoff, config.maxBackoff());
        pausedUntil = Instant.now().plus(backoff);
        if (firstFailure) {
            Log.warnf("outbox relay: %d of %d events delivered, the rest stay queued and are retried: %s",
                    batch.delivered(), batch.read(), String.valueOf(batch.failure()));
        } else {
            Log.debugf("outbox relay: still failing, next attempt in %s: %s", backoff, batch.failure());
        }
    }

    /**
     * @param untraced the relay's own context, in which instrumentation is suppressed: an event recorded
     *        outside any trace is sent without a producer span and without a {@code traceparent}
     */
    private Message<String> toMessage(PendingEvent event, Context untraced) {
        var cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(event.id())
                .withType(event.type())
                .withSource(source)
                .withSubject(event.key())
                .withTimestamp(event.createdAt().atZone(ZoneOffset.UTC));
        event.origin().extensions().forEach(cloudEvent::withExtension);
        var record = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic())
                .withKey(event.key())
                .build();
        Context recorded = event.origin().traceContext();
        Context parent = Span.fromContext(recorded).getSpanContext().isValid() ? recorded : untraced;
        return Message.of(event.payload())
                .addMetadata(cloudEvent.build())
                .addMetadata(record)
                .addMetadata(TracingMetadata.withCurrent(parent));
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(TRY_LOCK); ResultSet rs = lock.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static List<PendingEvent> pending(Connection connection, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(PENDING)) {
            select.setInt(1, limit);
            List<PendingEvent> events = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(new PendingEvent(rs.getLong("seq"), rs.getString("id"), rs.getString("topic"),
                            rs.getString("event_key"), rs.getString("event_type"), rs.getString("payload"),
                            rs.getTimestamp("created_at").toInstant(), new EventContext(rs.getString("request_id"),
                                    rs.getString("traceparent"), rs.getString("tracestate"))));
                }
            }
            return events;
        }
    }

    private static void markSent(Connection connection, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(MARK_SENT)) {
            update.setArray(1, connection.createArrayOf("bigint", seqs.toArray()));
            update.executeUpdate();
        }
    }

    private record PendingEvent(long seq, String id, String topic, String key, String type, String payload,
            Instant createdAt, EventContext origin) {
    }

    private record Batch(int read, int delivered, Throwable failure) {
    }
}
