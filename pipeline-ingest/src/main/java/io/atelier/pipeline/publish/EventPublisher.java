package io.atelier.pipeline.publish;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.atelier.pipeline.config.PipelineConfig;
import io.atelier.platform.events.CloudEventHeaderTemplate;
import io.atelier.platform.events.CloudEventRecordHeaders;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.events.Topics;
import io.atelier.platform.web.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends events to Kafka as binary-mode CloudEvents. Valid events go to {@code events.raw} through
 * {@link RawEventProducer}, with the {@code ce_*} headers SmallRye's CloudEvents support would write
 * ({@link CloudEventRecordHeaders}' output, prepared once per request by {@link CloudEventHeaderTemplate}), and the caller
 * learns which the broker acknowledged ({@code acks=all}) within
 * the bounded wait; rejected ones go to {@code events.invalid},
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

    private static final String CONTENT_TYPE = "application/json";

    private final RawEventProducer raw;
    private final MutinyEmitter<String> invalid;
    private final PipelineConfig config;
    private final URI source;
    private final Semaphore pending;
    private final Timer produce;
    private final Counter invalidLost;
    private final LogThrottle invalidWarnings;

    EventPublisher(RawEventProducer raw,
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
        int count = events.size();
        if (count == 0) {
            return List.of();
        }
        if (!pending.tryAcquire(count)) {
            return Collections.nCopies(count, false);
        }
        long deadline = System.nanoTime() + config.kafka().ackTimeout().toNanos();
        CloudEventHeaderTemplate headers = new CloudEventHeaderTemplate(RECEIVED, source, CONTENT_TYPE,
                extensions(EventContext.current(), sender), transportTrace());
        Acks acks = new Acks(count);
        for (int i = 0; i < count; i++) {
            if (System.nanoTime() - deadline >= 0) {
                // The request's wait is over: the rest are not sent and not acknowledged.
                acks.notSent(i, count);
                break;
            }
            OutgoingEvent event = events.get(i);
            int index = i;
            long start = System.nanoTime();
            try {
                raw.send(new ProducerRecord<>(Topics.EVENTS_RAW, null, null, event.key(), event.json(),
                        headers.of(event.eventId(), event.timestamp())), (metadata, failure) -> {
                            if (acks.complete(index, failure == null)) {
                                produce.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                            }
                        });
            } catch (RuntimeException e) { // max-block passed without metadata or buffer room, or the producer is closed
                // KafkaProducer.send calls the callback (with the failure) itself for most errors; complete only once.
                acks.complete(index, false);
            }
            if (acks.failed(index)) {
                // The producer refused this one at once (no metadata, full buffer, closed): each further send would
                // block for max-block again, so the rest are not sent.
                acks.notSent(i + 1, count);
                break;
            }
        }
        return acks.await(deadline);
    }

    /**
     * What the broker answered for each record of one request. Each record is completed once, by its callback or by
     * the sender when the producer refused it or it was not sent, and gives its pending permit back then. (One latch
     * per request rather than a future per event: the request thread waits once.)
     */
    private final class Acks {

        private static final int WAITING = 0;
        private static final int ACKED = 1;
        private static final int FAILED = 2;

        private final AtomicIntegerArray states;
        private final CountDownLatch done;

        Acks(int count) {
            this.states = new AtomicIntegerArray(count);
            this.done = new CountDownLatch(count);
        }

        /** @return whether this call completed the record as acknowledged */
        boolean complete(int index, boolean acked) {
            if (!states.compareAndSet(index, WAITING, acked ? ACKED : FAILED)) {
                return false;
            }
            pending.release();
            done.countDown();
            return acked;
        }

        boolean failed(int index) {
            return states.get(index) == FAILED;
        }

        void notSent(int from, int count) {
            for (int i = from; i < count; i++) {
                complete(i, false);
            }
        }

        /** Per record, in order, whether the broker acknowledged it by the deadline. */
        List<Boolean> await(long deadline) {
            try {
                done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<Boolean> acked = new ArrayList<>(states.length());
            for (int i = 0; i < states.length(); i++) {
                acked.add(states.get(i) == ACKED);
            }
            return acked;
        }
    }

    /** The CloudEvents extensions of every event of one request: who sent it, then its request id and trace context. */
    static Map<String, String> extensions(EventContext origin, String sender) {
        Map<String, String> extensions = new LinkedHashMap<>(8);
        extensions.put(SENDER_EXTENSION, sender);
        extensions.putAll(origin.extensions());
        return extensions;
    }

    /**
     * The W3C trace context on the record itself ({@code traceparent}, {@code tracestate}), as messaging
     * instrumentation writes it, so a consumer's span continues the request's trace; nothing when no span is current.
     */
    private static Map<String, String> transportTrace() {
        Map<String, String> carrier = new LinkedHashMap<>(4);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier;
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
}
