package io.atelier.jobs.request;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.ConstraintViolationException;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.atelier.jobs.config.JobsConfig;
import io.atelier.jobs.job.JobInput;
import io.atelier.jobs.job.JobProblems;
import io.atelier.jobs.job.JobService;
import io.atelier.jobs.job.JobView;
import io.atelier.platform.events.CloudEventHeaders;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.events.HoldingStore;
import io.atelier.platform.events.ReceivedEvent;
import io.atelier.platform.events.ReceivedEvent.NotACloudEventException;
import io.atelier.platform.events.jobs.JobRequested;
import io.atelier.platform.outbox.ConsumedEvents;
import io.atelier.platform.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Jobs other services ask for on {@code jobs.requests} ({@link JobRequested} CloudEvents), one record at a
 * time in partition order, by one consumer group shared by every replica.
 *
 * <ul>
 * <li>A request is submitted through {@link JobService#submit}, the API's own rules, with its {@code ce_id}
 * recorded by {@link ConsumedEvents} in the same transaction: a redelivered request makes no second job. The
 * record is acknowledged (its offset committed) only after that transaction committed, so nothing accepted
 * is lost.</li>
 * <li>A request the API would refuse (unknown type, a payload its schema refuses, too big, out-of-range
 * fields), an unreadable payload, another event type, or a record that is not a CloudEvent: counted in
 * {@code atelier.jobs.requests.rejected}, logged once with its event id, acknowledged. Retrying cannot fix
 * it, and holding it would stop every request behind it.</li>
 * <li>The database refusing for now: the record is held and retried with backoff until it is stored; if the
 * application stops meanwhile it is nacked, never acknowledged, and comes again after the restart. Values the
 * database refuses for good are skipped as {@code unstorable} ({@link HoldingStore}, shared with the other
 * consumers of the suite).</li>
 * </ul>
 */
@ApplicationScoped
// Jackson reads the payload record reflectively; a native image needs it registered.
@RegisterForReflection(targets = JobRequested.class)
public class JobRequestConsumer {

    /** The name this consumer's event ids are remembered under in {@code atelier_consumed_event}. */
    static final String CONSUMER = "jobs-requests";

    private final JobService jobs;
    private final ConsumedEvents consumed;
    private final ObjectReader reader;
    private final JobsConfig config;
    private final MeterRegistry metrics;
    private final Map<String, io.micrometer.core.instrument.Counter> rejected = new ConcurrentHashMap<>();
    private final HoldingStore holding;

    JobRequestConsumer(JobService jobs, ConsumedEvents consumed, ObjectMapper json, JobsConfig config,
            MeterRegistry metrics) {
        this.jobs = jobs;
        this.consumed = consumed;
        // Another service's event: a field it adds later is ignored, never a reason to drop the request.
        this.reader = json.readerFor(JobRequested.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.config = config;
        this.metrics = metrics;
        this.holding = new HoldingStore("jobs.requests", config.requests().maxBackoff(),
                () -> metrics.counter("atelier.jobs.requests.retries").increment());
    }

    void stop(@Observes ShutdownEvent event) {
        holding.stop();
    }

    @Incoming("jobs-requests")
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        Message<String> message;
        try {
            message = CloudEventHeaders.attach(record);
        } catch (NotACloudEventException e) {
            return reject(record, "not-a-cloud-event", "(no id)", e.getMessage());
        }
        try (Scope ignored = EventContext.restore(message)) {
            ReceivedEvent event = ReceivedEvent.of(message);
            String id = HoldingStore.loggable(event.id());
            if (!JobRequested.TYPE.equals(event.type())) {
                return reject(record, "unknown-event-type", id, "type " + HoldingStore.loggable(event.type()));
            }
            JobRequested request;
            try {
                request = read(record.getPayload());
            } catch (IOException e) {
                // Jackson's message quotes the payload: only its kind is worth a log line.
                return reject(record, "unreadable", id, "payload is not a readable " + JobRequested.TYPE
                        + " (" + e.getClass().getSimpleName() + ")");
            }
            if (request.userId() == null) {
                return reject(record, "unreadable", id, "no userId");
            }
            return store(record, event.id(), id, request);
        }
    }

    private CompletionStage<Void> store(Message<String> record, String eventId, String id, JobRequested request) {
        JobInput input = new JobInput(request.type(), request.payload(), request.runAt(), request.maxAttempts(),
                request.priority(), request.projectId());
        HoldingStore.Outcome<JobView> outcome = holding.store(id,
                () -> QuarkusTransaction.requiringNew().call(() -> consumed.firstDelivery(CONSUMER, eventId)
                        ? jobs.submit(request.userId(), input)
                        : null),
                JobRequestConsumer::refusal);
        return switch (outcome) {
            case HoldingStore.Outcome.Stored<JobView> stored -> {
                if (stored.value() == null) {
                    metrics.counter("atelier.jobs.requests", "outcome", "duplicate").increment();
                    Log.debugf("jobs.requests: %s was accepted before; no second job", id);
                } else {
                    metrics.counter("atelier.jobs.requests", "outcome", "accepted").increment();
                    Log.debugf("jobs.requests: %s is job %s", id, stored.value().id());
                }
                yield record.ack();
            }
            case HoldingStore.Outcome.Refused<JobView> refused -> reject(record, refused.refusal().reason(), id,
                    refused.refusal().detail());
            case HoldingStore.Outcome.Stopped<JobView> stopped -> record.nack(stopped.failure());
        };
    }

    /** The API's refusal of the request (it passed nothing else): never retried. Anything else is the database's state. */
    private static HoldingStore.Refusal refusal(Exception e) {
        ProblemException problem = cause(e, ProblemException.class);
        if (problem != null) {
            return new HoldingStore.Refusal(problem.type().status() == 413 ? "too-large" : "invalid",
                    JobProblems.describe(problem));
        }
        ConstraintViolationException violation = cause(e, ConstraintViolationException.class);
        return violation == null ? null : new HoldingStore.Refusal("invalid", violations(violation));
    }

    /** The API's refusal, also when the transaction wrapped it. */
    private static <T extends Throwable> T cause(Throwable failure, Class<T> kind) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return kind.cast(cause);
            }
        }
        return null;
    }

    private JobRequested read(String payload) throws IOException {
        if (payload == null) {
            throw new IOException("no payload");
        }
        JobRequested request = reader.readValue(payload);
        if (request == null) {
            throw new IOException("null payload");
        }
        return request;
    }

    private CompletionStage<Void> reject(Message<String> record, String reason, String id, String why) {
        rejected.computeIfAbsent(reason, r -> metrics.counter("atelier.jobs.requests.rejected", "reason", r)).increment();
        Log.warnf("jobs.requests: skipped %s at %s (%s): %s", id, HoldingStore.position(record), reason, why);
        return record.ack();
    }

    /** Field paths and messages only: a value from another service never reaches a log line. */
    private static String violations(ConstraintViolationException e) {
        StringBuilder line = new StringBuilder("400");
        e.getConstraintViolations().forEach(v -> {
            String path = v.getPropertyPath().toString();
            line.append(" [").append(path.substring(path.lastIndexOf('.') + 1)).append(": ").append(v.getMessage()).append(']');
        });
        return line.toString();
    }
}
