package io.atelier.workspace.live;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.platform.events.CloudEventHeaders;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.events.HoldingStore;
import io.atelier.platform.events.ReceivedEvent;
import io.atelier.platform.events.ReceivedEvent.NotACloudEventException;
import io.atelier.platform.events.jobs.JobStatusChanged;
import io.atelier.platform.outbox.ConsumedEvents;
import io.atelier.workspace.access.ProjectAccess;
import io.atelier.workspace.config.LiveConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * job-worker's status changes ({@code jobs.status}) to the sockets of the job's project, as durable
 * {@code JOB_STATUS} messages (docs/workspace.md).
 *
 * <p>One consumer group for the whole service: one instance stores each event in the project's log (under
 * its next sequence number, the event id remembered by {@link ConsumedEvents} in the same transaction, so
 * a redelivery is not shown twice), then passes it on like every durable message: to this instance's
 * sockets and, through the Redis feed every instance tails, to the others; an instance that misses it
 * there reads it from the log. The record is acknowledged (its offset committed) only after that commit.
 *
 * <ul>
 * <li>A job without a project, of a project that no longer exists, or whose owner is not a member of its
 * project (job-worker does not ask at submit): acknowledged, counted, not shown.</li>
 * <li>A record that is not a CloudEvent, or whose payload cannot be used: logged (position and ids only),
 * counted, acknowledged; retrying cannot fix it, and holding it would stop every status behind it.</li>
 * <li>The database refusing for now: the record is held and retried with backoff until it is stored. If
 * the application stops meanwhile the record is nacked, never acknowledged, and comes again after the
 * restart.</li>
 * </ul>
 */
@ApplicationScoped
// Its counters exist (at 0) from the start, not from the first record.
@Startup
// Jackson reads the payload record reflectively; a native image needs it registered.
@RegisterForReflection(targets = JobStatusChanged.class)
class JobStatusRelay {

    /** The name this relay's event ids are remembered under in {@code atelier_consumed_event}. */
    static final String CONSUMER = "workspace-job-status";

    /** job-worker's status names (JobEvent): upper-case words. */
    private static final Pattern STATUS = Pattern.compile("[A-Z_]{1,32}");
    /** A guard far above job-worker's own type names, not a policy. */
    private static final int MAX_TYPE = 200;

    /** Why an event was not shown: the {@code reason} tag of {@code atelier.workspace.jobs.skipped}. */
    enum Skip {
        NO_PROJECT("no-project"),
        PROJECT_GONE("project-gone"),
        NOT_A_MEMBER("not-a-member"),
        DUPLICATE("duplicate"),
        OTHER_TYPE("other-type"),
        NOT_A_CLOUD_EVENT("not-a-cloud-event"),
        UNREADABLE("unreadable"),
        UNSTORABLE("unstorable");

        final String tag;

        Skip(String tag) {
            this.tag = tag;
        }
    }

    private final ConsumedEvents consumed;
    private final ProjectAccess access;
    private final ProjectLog log;
    private final ProjectChannels channels;
    private final Frames frames;
    private final ObjectReader reader;
    private final LiveConfig.Jobs config;
    private final Counter relayed;
    private final Map<Skip, Counter> skipped = new EnumMap<>(Skip.class);
    private final HoldingStore holding;

    JobStatusRelay(ConsumedEvents consumed, ProjectAccess access, ProjectLog log, ProjectChannels channels, Frames frames,
            LiveConfig config, MeterRegistry metrics) {
        this.consumed = consumed;
        this.access = access;
        this.log = log;
        this.channels = channels;
        this.frames = frames;
        // Another service's events: a field job-worker adds later is ignored, never a reason to drop the
        // event (this service's mapper is strict about unknown fields for its own API).
        this.reader = frames.mapper().readerFor(JobStatusChanged.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.config = config.jobs();
        this.relayed = Counter.builder("atelier.workspace.jobs.relayed")
                .description("Job status changes stored in a project's log and passed to its sockets").register(metrics);
        Counter retries = Counter.builder("atelier.workspace.jobs.retries")
                .description("Failed attempts to store a job status change, each retried").register(metrics);
        this.holding = new HoldingStore("job status relay", this.config.maxBackoff(), retries::increment);
        for (Skip why : Skip.values()) {
            skipped.put(why, Counter.builder("atelier.workspace.jobs.skipped").tag("reason", why.tag)
                    .description("Records on jobs.status not shown on any project socket").register(metrics));
        }
    }

    @Incoming("job-status")
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        Message<String> message;
        try {
            message = CloudEventHeaders.attach(record);
        } catch (NotACloudEventException e) {
            return skip(record, Skip.NOT_A_CLOUD_EVENT, "record", e.getMessage());
        }
        try (Scope ignored = EventContext.restore(message)) {
            ReceivedEvent event = ReceivedEvent.of(message);
            String what = HoldingStore.loggable(event.type()) + " " + HoldingStore.loggable(event.id());
            if (!JobStatusChanged.TYPE.equals(event.type())) {
                skipped.get(Skip.OTHER_TYPE).increment();
                Log.debugf("job status relay: ignoring %s", what);
                return record.ack();
            }
            JobStatusChanged change;
            try {
                change = read(record.getPayload());
            } catch (Unreadable e) {
                return skip(record, Skip.UNREADABLE, what, e.getMessage());
            }
            if (change.projectId() == null) {
                skipped.get(Skip.NO_PROJECT).increment();
                Log.debugf("job status relay: %s concerns job %s of no project", what, change.jobId());
                return record.ack();
            }
            return store(record, event.id(), change, what);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        holding.stop();
    }

    private CompletionStage<Void> store(Message<String> record, String eventId, JobStatusChanged change,
            String what) {
        ObjectNode data = data(change);
        HoldingStore.Outcome<Stored> outcome = holding.store(what, () -> {
            // job-worker takes any projectId at submit without asking this service: a job whose owner is
            // not a member must not put its type and errors on someone else's project.
            if (access.roleOf(change.projectId(), change.userId()).isEmpty()) {
                return new Stored(log.head(change.projectId()).isPresent() ? Skip.NOT_A_MEMBER : Skip.PROJECT_GONE, null);
            }
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    if (!consumed.firstDelivery(CONSUMER, eventId)) {
                        return new Stored(Skip.DUPLICATE, null);
                    }
                    Optional<LiveMessage> appended = log.appendInTransaction(change.projectId(), MessageType.JOB_STATUS,
                            change.userId(), data);
                    // Gone: the transaction rolls back, nothing to remember (a redelivery finds it gone too).
                    return new Stored(null, appended.orElseThrow(ProjectGone::new));
                });
            } catch (RuntimeException e) {
                if (e instanceof ProjectGone || e.getCause() instanceof ProjectGone) {
                    return new Stored(Skip.PROJECT_GONE, null);
                }
                throw e;
            }
        }, failure -> null);
        return switch (outcome) {
            case HoldingStore.Outcome.Stored<Stored> stored -> {
                if (stored.value().message() != null) {
                    channels.publish(stored.value().message());
                    relayed.increment();
                } else {
                    skipped.get(stored.value().skip()).increment();
                    Log.debugf("job status relay: %s not shown (%s)", what, stored.value().skip().tag);
                }
                yield record.ack();
            }
            case HoldingStore.Outcome.Refused<Stored> refused -> skip(record, Skip.UNSTORABLE, what,
                    refused.refusal().detail());
            case HoldingStore.Outcome.Stopped<Stored> stopped -> record.nack(stopped.failure());
        };
    }

    /** What a UI needs of the change: {@code data} of the JOB_STATUS message. */
    private ObjectNode data(JobStatusChanged change) {
        ObjectNode data = frames.object();
        data.put("jobId", change.jobId().toString());
        data.put("type", change.type());
        data.put("status", change.status());
        data.put("previousStatus", change.previousStatus());
        data.put("attempts", change.attempts());
        data.put("maxAttempts", change.maxAttempts());
        data.put("lastError", bounded(change.lastError(), config.maxErrorLength()));
        data.put("runAt", change.runAt() == null ? null : change.runAt().toString());
        data.put("at", change.at() == null ? null : change.at().toString());
        return data;
    }

    private JobStatusChanged read(String payload) throws Unreadable {
        if (payload == null) {
            throw new Unreadable("no payload");
        }
        JobStatusChanged change;
        try {
            change = reader.readValue(payload);
        } catch (IOException e) {
            // Jackson's message quotes the payload: only its kind is worth a log line.
            throw new Unreadable("payload is not a readable " + JobStatusChanged.TYPE + " (" + e.getClass().getSimpleName() + ")");
        }
        if (change == null) {
            throw new Unreadable("payload is null");
        }
        if (change.jobId() == null) {
            throw new Unreadable("no jobId");
        }
        if (change.userId() == null) {
            throw new Unreadable("no userId");
        }
        if (change.status() == null || !STATUS.matcher(change.status()).matches()) {
            throw new Unreadable("no status, or not a status name");
        }
        if (change.previousStatus() != null && !STATUS.matcher(change.previousStatus()).matches()) {
            throw new Unreadable("previousStatus is not a status name");
        }
        if (change.type() == null || change.type().isBlank() || change.type().length() > MAX_TYPE) {
            throw new Unreadable("no type, or one too long");
        }
        return change;
    }

    /** At most {@code max} characters, never half a surrogate pair; a cut one ends with "…". */
    static String bounded(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, Math.max(end, 0)) + "…";
    }

    private CompletionStage<Void> skip(Message<String> record, Skip why, String what, String reason) {
        skipped.get(why).increment();
        Log.warnf("job status relay: skipped %s at %s: %s", what, HoldingStore.position(record), reason);
        return record.ack();
    }

    private record Stored(Skip skip, LiveMessage message) {
    }

    /** Thrown inside the transaction to roll it back: the job's project does not exist (any more). */
    private static final class ProjectGone extends RuntimeException {
        ProjectGone() {
            super(null, null, false, false);
        }
    }

    /** An event the relay cannot use; retrying will not change that. */
    private static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }
}
