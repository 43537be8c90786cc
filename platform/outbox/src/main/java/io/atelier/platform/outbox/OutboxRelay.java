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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.events.Backoff;
import io.atelier.platform.events.CloudEventRecordHeaders;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.events.EventProducer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.internal.InstrumentationUtil;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;

/**
 * Publishes committed outbox rows to Kafka in commit order and marks them sent.
 *
 * <p>Woken after every commit that recorded an event and polled on a timer for anything missed.
 * One relay per service schema works at a time (a PostgreSQL advisory lock), so replicas never
 * reorder an aggregate's events. A row is marked sent only once the broker acknowledged it
 * ({@code acks=all}); while the broker is away rows wait, nothing is lost, and attempts back off.
 * Delivery is at least once: consumers dedupe with {@link ConsumedEvents}.
 *
 * <p>Each event goes out as a binary-mode CloudEvent ({@link CloudEventRecordHeaders}) with the context it was
 * recorded in: the request id and the recording span as CloudEvents extensions ({@code ce_requestid},
 * {@code ce_traceparent}, {@code ce_tracestate}), and its send traced as a child of that span ({@link SendSpans},
 * whose context is the record's {@code traceparent} header). The relay's own polling, locking and marking is never
 * traced.
 *
 * <p>It sends with a plain {@link EventProducer}, not a SmallRye emitter: a message per event through the emitter
 * (Mutiny, context propagation, the connector's tracing) was about half of job-worker's CPU under load.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final String TRY_LOCK =
            "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.atelier_outbox'))";
    private static final String PENDING = """
            SELECT seq, id, topic, event_key, event_type, payload, created_at, request_id, traceparent, tracestate
            FROM atelier_outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?""";
    private static final String CONTENT_TYPE = "application/json";
    private static final String MARK_SENT = "UPDATE atelier_outbox SET sent_at = now() WHERE seq = ANY (?)";

    private final AgroalDataSource dataSource;
    private final EventProducer producer;
    private final SendSpans spans;
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

    OutboxRelay(AgroalDataSource dataSource, OutboxConfig config, ExecutorService executor, MeterRegistry metrics,
            @Identifier("default-kafka-broker") Map<String, Object> broker, Instance<OpenTelemetry> telemetry,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.dataSource = dataSource;
        this.producer = new EventProducer(broker, applicationName + "-outbox", tuning(config.producer()), metrics);
        this.spans = new SendSpans(telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop());
        this.config = config;
        this.executor = executor;
        this.source = URI.create(config.source().orElse(applicationName));
        this.sent = metrics.counter("atelier.outbox.sent");
        this.failures = metrics.counter("atelier.outbox.send.failures");
        this.lag = Timer.builder("atelier.outbox.lag").description("From commit of the event to broker acknowledgement")
                .register(metrics);
    }

    private static Map<String, Object> tuning(OutboxConfig.Producer producer) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.LINGER_MS_CONFIG, (int) producer.linger().toMillis());
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, producer.maxBlock().toMillis());
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) producer.requestTimeout().toMillis());
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) producer.deliveryTimeout().toMillis());
        return settings;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
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

    /** One local JDBC transaction: the lock, the read and the marking of what the broker acknowledged. */
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
        List<CompletableFuture<Void>> acks = new ArrayList<>(pending.size());
        for (PendingEvent event : pending) {
            CompletableFuture<Void> ack = send(event);
            acks.add(ack);
            if (ack.isCompletedExceptionally()) {
                break; // refused at once (no metadata within max-block): each further send would wait as long again
            }
        }
        // Every send settles (acknowledged or failed) before anything is marked, and only the
        // acknowledged prefix is: a gap would let a later event overtake an earlier one.
        List<Long> delivered = new ArrayList<>(pending.size());
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        Throwable failure = null;
        for (int i = 0; i < acks.size(); i++) {
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

    /** Hands the event to the producer; the future settles with the broker's answer, or at once if it refused. */
    private CompletableFuture<Void> send(PendingEvent event) {
        Headers headers = CloudEventRecordHeaders.of(event.id(), event.type(), source, event.key(),
                event.createdAt().atZone(ZoneOffset.UTC), CONTENT_TYPE, event.origin().extensions());
        Span span = spans.start(event.origin().traceContext(), event.topic(), event.id(), event.key(), headers);
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(event.topic(), null, null, event.key(), event.payload(), headers),
                    (metadata, failure) -> {
                        SendSpans.end(span, metadata, failure);
                        if (failure == null) {
                            ack.complete(null);
                        } else {
                            ack.completeExceptionally(failure);
                        }
                    });
        } catch (RuntimeException e) { // no metadata or buffer room within max-block, or the producer is closed
            SendSpans.end(span, null, e);
            ack.completeExceptionally(e);
        }
        return ack;
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
