package io.atelier.pipeline.publish;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.atelier.pipeline.config.PipelineConfig;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.web.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends events to Kafka as binary-mode CloudEvents (SmallRye's own CloudEvents support writes the {@code ce_*}
 * headers, as for every Atelier topic). Valid events go to {@code events.raw} and the caller learns which the
 * broker acknowledged ({@code acks=all}) within the bounded wait; rejected ones go to {@code events.invalid},
 * best effort: nobody waits for them, and one that cannot be sent is logged and counted, not retried.
 *
 * <p>Memory is bounded: at most {@code atelier.pipeline.kafka.max-pending-events} events of this instance may be
 * on their way to the broker; a batch that would pass it is refused at once (the caller answers 503).
 */
@ApplicationScoped
public class EventPublisher {

    /** {@code ce_type} of an accepted event on {@code events.raw}. */
    public static final String RECEIVED = "pipeline.event.received";
    /** {@code ce_type} of a rejected event on {@code events.invalid}. */
    public static final String REJECTED = "pipeline.event.rejected";
    /** CloudEvents extension naming who sent the event ({@code user:<id>} or {@code source:<name>}). */
    public static final String SENDER_EXTENSION = "sender";

    private final MutinyEmitter<String> raw;
    private final MutinyEmitter<String> invalid;
    private final PipelineConfig config;
    private final URI source;
    private final Semaphore pending;
    private final Timer produce;
    private final Counter invalidLost;
    private final LogThrottle invalidWarnings;

    EventPublisher(@Channel("events-raw") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) MutinyEmitter<String> raw,
            @Channel("events-invalid") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) MutinyEmitter<String> invalid,
            PipelineConfig config, MeterRegistry metrics, Clock clock,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.raw = raw;
        this.invalid = invalid;
        this.config = config;
        this.source = URI.create(applicationName);
        this.pending = new Semaphore(config.kafka().maxPendingEvents());
        this.produce = Timer.builder("atelier.pipeline.produce")
                .description("From handing an event to the producer to the broker's acknowledgement").register(metrics);
        this.invalidLost = metrics.counter("atelier.pipeline.invalid.lost");
        this.invalidWarnings = new LogThrottle(clock, Duration.ofSeconds(30));
    }

    /**
     * Sends the events to {@code events.raw} and waits, at most {@code atelier.pipeline.kafka.ack-timeout}, for the
     * broker. Blocking: call it from a worker or virtual thread.
     *
     * @return per event, in order, whether the broker acknowledged it; all false when the bound on pending events
     *         left no room for the batch (nothing was sent then)
     */
    public List<Boolean> publish(List<OutgoingEvent> events, String sender) {
        List<Boolean> acked = new ArrayList<>(events.size());
        if (events.isEmpty()) {
            return acked;
        }
        if (!pending.tryAcquire(events.size())) {
            events.forEach(e -> acked.add(false));
            return acked;
        }
        EventContext origin = EventContext.current();
        List<CompletableFuture<Void>> sends = new ArrayList<>(events.size());
        for (OutgoingEvent event : events) {
            long start = System.nanoTime();
            CompletableFuture<Void> send;
            try {
                send = raw.sendMessage(message(event, origin, sender)).subscribeAsCompletionStage();
            } catch (RuntimeException e) { // the emitter's buffer overflowed, or the channel is down
                send = CompletableFuture.failedFuture(e);
            }
            send.whenComplete((ok, failure) -> {
                pending.release();
                if (failure == null) {
                    produce.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                }
            });
            sends.add(send);
        }
        long deadline = System.nanoTime() + config.kafka().ackTimeout().toNanos();
        for (CompletableFuture<Void> send : sends) {
            acked.add(await(send, deadline));
        }
        return acked;
    }

    /** Sends a rejected event with its reasons to {@code events.invalid}; returns at once, never fails. */
    public void reject(String json, String eventId, String sender) {
        String id = UUID.randomUUID().toString();
        var cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(id)
                .withType(REJECTED)
                .withSource(source)
                .withTimestamp(ZonedDateTime.now(ZoneOffset.UTC))
                .withExtension(SENDER_EXTENSION, sender);
        if (eventId != null) {
            cloudEvent.withSubject(eventId);
        }
        EventContext.current().extensions().forEach(cloudEvent::withExtension);
        var record = OutgoingKafkaRecordMetadata.<String>builder().withKey(eventId != null ? eventId : id).build();
        Message<String> message = Message.of(json).addMetadata(cloudEvent.build()).addMetadata(record)
                .addMetadata(TracingMetadata.withCurrent(Context.current()));
        try {
            invalid.sendMessage(message).subscribe().with(ok -> {
            }, this::invalidLost);
        } catch (RuntimeException e) {
            invalidLost(e);
        }
    }

    private void invalidLost(Throwable failure) {
        invalidLost.increment();
        if (invalidWarnings.due()) {
            Log.warnf("a rejected event could not be written to events.invalid (counted in atelier.pipeline.invalid.lost): %s",
                    String.valueOf(failure));
        }
    }

    private Message<String> message(OutgoingEvent event, EventContext origin, String sender) {
        var cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(event.eventId())
                .withType(RECEIVED)
                .withSource(source)
                .withSubject(event.eventId())
                .withTimestamp(event.timestamp().atZone(ZoneOffset.UTC))
                .withExtension(SENDER_EXTENSION, sender);
        for (Map.Entry<String, String> extension : origin.extensions().entrySet()) {
            cloudEvent.withExtension(extension.getKey(), extension.getValue());
        }
        var record = OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build();
        return Message.of(event.json()).addMetadata(cloudEvent.build()).addMetadata(record)
                .addMetadata(TracingMetadata.withCurrent(Context.current()));
    }

    private static boolean await(CompletableFuture<Void> send, long deadline) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
