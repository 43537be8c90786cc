package io.atelier.platform.users;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.Backoff;
import io.atelier.platform.events.CloudEventHeaders;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.events.ReceivedEvent;
import io.atelier.platform.events.ReceivedEvent.NotACloudEventException;
import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.events.auth.UserUpdated;
import io.atelier.platform.outbox.ConsumedEvents;
import io.atelier.platform.users.UserEventReader.UnreadableEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Applies auth-service's user events to {@code atelier_user}, one record at a time in partition order.
 *
 * <ul>
 * <li>{@code auth.user.created}/{@code auth.user.updated}: an upsert that keeps the newest state, and the
 * event id remembered by {@link ConsumedEvents}, in one transaction: a redelivery changes nothing.</li>
 * <li>Other types on the topic: acknowledged and ignored.</li>
 * <li>A record that is not a CloudEvent, or whose payload cannot be used: logged (position and ids only),
 * counted, acknowledged. Retrying cannot fix it, and holding it would stop every event behind it.</li>
 * <li>The database refusing for now (down, timeouts, privileges): the record is held and retried with
 * backoff until it is stored, so nothing is lost and nothing overtakes it. If the application stops
 * meanwhile the record is nacked, never acknowledged, and comes again after the restart.</li>
 * </ul>
 */
@ApplicationScoped
// Jackson reads the payload records reflectively; a native image needs them registered.
@RegisterForReflection(targets = { UserCreated.class, UserUpdated.class })
class UserReplicaConsumer {

    /** The name this consumer's applied event ids are remembered under in {@code atelier_consumed_event}. */
    static final String CONSUMER = "atelier-users-replica";

    private static final Pattern LOGGABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** Why a record was skipped: the {@code reason} tag of {@code atelier.users.replica.rejected}. */
    enum Rejection {
        NOT_A_CLOUD_EVENT("not-a-cloud-event"),
        UNREADABLE("unreadable"),
        UNSTORABLE("unstorable");

        final String tag;

        Rejection(String tag) {
            this.tag = tag;
        }
    }

    private enum Outcome {
        APPLIED, STALE, DUPLICATE
    }

    private final ConsumedEvents consumed;
    private final UserReplicaWriter writer;
    private final UserEventReader reader;
    private final UsersConfig config;
    private final Counter applied;
    private final Counter retries;
    private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
    private final CountDownLatch stopping = new CountDownLatch(1);

    UserReplicaConsumer(ConsumedEvents consumed, UserReplicaWriter writer, ObjectMapper json, UsersConfig config,
            MeterRegistry metrics) {
        this.consumed = consumed;
        this.writer = writer;
        this.reader = new UserEventReader(json);
        this.config = config;
        this.applied = Counter.builder("atelier.users.replica.applied")
                .description("User events that changed the replica").register(metrics);
        this.retries = Counter.builder("atelier.users.replica.retries")
                .description("Failed attempts to store a user event, each retried").register(metrics);
        for (Rejection why : Rejection.values()) {
            rejected.put(why, Counter.builder("atelier.users.replica.rejected").tag("reason", why.tag)
                    .description("Records on auth.user-events skipped as unusable").register(metrics));
        }
    }

    @Incoming("atelier-users")
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        Message<String> message;
        try {
            message = CloudEventHeaders.attach(record);
        } catch (NotACloudEventException e) {
            return reject(record, Rejection.NOT_A_CLOUD_EVENT, "record", e.getMessage());
        }
        try (Scope ignored = EventContext.restore(message)) {
            ReceivedEvent event = ReceivedEvent.of(message);
            if (!UserEventReader.replicates(event.type())) {
                Log.debugf("users replica: ignoring %s %s", loggable(event.type()), loggable(event.id()));
                return record.ack();
            }
            String what = event.type() + " " + loggable(event.id());
            ReplicatedUser user;
            try {
                user = reader.read(event.type(), record.getPayload());
            } catch (UnreadableEvent e) {
                return reject(record, Rejection.UNREADABLE, what, e.getMessage());
            }
            return store(record, event, user, what);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
    }

    private CompletionStage<Void> store(Message<String> record, ReceivedEvent event, ReplicatedUser user,
            String what) {
        Duration backoff = Duration.ZERO;
        for (int attempt = 1;; attempt++) {
            try {
                Outcome outcome = QuarkusTransaction.requiringNew().call(() -> apply(event.id(), user));
                if (attempt > 1) {
                    Log.infof("users replica: the database takes events again; stored %s at attempt %d", what, attempt);
                }
                switch (outcome) {
                    case APPLIED -> {
                        applied.increment();
                        Log.debugf("users replica: applied %s for user %s", what, user.id());
                    }
                    case STALE -> Log.debugf("users replica: %s is older than user %s's row; kept the row", what,
                            user.id());
                    case DUPLICATE -> Log.debugf("users replica: %s was applied before", what);
                }
                return record.ack();
            } catch (RuntimeException e) {
                if (StoreFailures.isPermanent(e)) {
                    // The state only: PostgreSQL's message may quote the refused value.
                    return reject(record, Rejection.UNSTORABLE, what,
                            "the database refuses its values for good (SQLSTATE " + StoreFailures.sqlState(e) + ")");
                }
                retries.increment();
                backoff = Backoff.next(backoff, config.maxBackoff());
                if (attempt == 1) {
                    Log.warnf(e, "users replica: could not store %s; holding it and retrying until the database takes it",
                            what);
                } else {
                    Log.debugf("users replica: still cannot store %s, next attempt in %s: %s", what, backoff, e);
                }
                if (stoppingWithin(backoff)) {
                    Log.infof("users replica: stopping; %s was not stored and comes again after the restart", what);
                    return record.nack(e);
                }
            }
        }
    }

    private Outcome apply(String eventId, ReplicatedUser user) {
        if (!consumed.firstDelivery(CONSUMER, eventId)) {
            return Outcome.DUPLICATE;
        }
        return writer.upsert(user) ? Outcome.APPLIED : Outcome.STALE;
    }

    private CompletionStage<Void> reject(Message<String> record, Rejection why, String what, String reason) {
        rejected.get(why).increment();
        Log.warnf("users replica: skipped %s at %s: %s", what, position(record), reason);
        return record.ack();
    }

    private boolean stoppingWithin(Duration pause) {
        try {
            return stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Where the record sits, and its key when that is a user id: what an operator needs to find it. */
    private static String position(Message<?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(kafka -> kafka.getTopic() + "-" + kafka.getPartition() + "@" + kafka.getOffset()
                        + (kafka.getKey() instanceof String key && isUuid(key) ? " (key " + key + ")" : ""))
                .orElse("(no Kafka metadata)");
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Ids and types come from whoever wrote the record: never a line break or a kilobyte in a log line. */
    private static String loggable(String text) {
        return text != null && LOGGABLE.matcher(text).matches() ? text : "(unprintable)";
    }
}
