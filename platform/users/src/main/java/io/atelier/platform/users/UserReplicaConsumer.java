package io.atelier.platform.users;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.CloudEventHeaders;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.events.HoldingStore;
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
    private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
    private final HoldingStore holding;

    UserReplicaConsumer(ConsumedEvents consumed, UserReplicaWriter writer, ObjectMapper json, UsersConfig config,
            MeterRegistry metrics) {
        this.consumed = consumed;
        this.writer = writer;
        this.reader = new UserEventReader(json);
        this.config = config;
        this.applied = Counter.builder("atelier.users.replica.applied")
                .description("User events that changed the replica").register(metrics);
        Counter retries = Counter.builder("atelier.users.replica.retries")
                .description("Failed attempts to store a user event, each retried").register(metrics);
        this.holding = new HoldingStore("users replica", config.maxBackoff(), retries::increment);
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
                Log.debugf("users replica: ignoring %s %s", HoldingStore.loggable(event.type()), HoldingStore.loggable(event.id()));
                return record.ack();
            }
            String what = event.type() + " " + HoldingStore.loggable(event.id());
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
        holding.stop();
    }

    private CompletionStage<Void> store(Message<String> record, ReceivedEvent event, ReplicatedUser user,
            String what) {
        return switch (holding.store(what, () -> QuarkusTransaction.requiringNew().call(() -> apply(event.id(), user)),
                failure -> null)) {
            case HoldingStore.Outcome.Stored<Outcome> stored -> {
                switch (stored.value()) {
                    case APPLIED -> {
                        applied.increment();
                        Log.debugf("users replica: applied %s for user %s", what, user.id());
                    }
                    case STALE -> Log.debugf("users replica: %s is older than user %s's row; kept the row", what,
                            user.id());
                    case DUPLICATE -> Log.debugf("users replica: %s was applied before", what);
                }
                yield record.ack();
            }
            case HoldingStore.Outcome.Refused<Outcome> refused -> reject(record, Rejection.UNSTORABLE, what,
                    refused.refusal().detail());
            case HoldingStore.Outcome.Stopped<Outcome> stopped -> record.nack(stopped.failure());
        };
    }

    private Outcome apply(String eventId, ReplicatedUser user) {
        if (!consumed.firstDelivery(CONSUMER, eventId)) {
            return Outcome.DUPLICATE;
        }
        return writer.upsert(user) ? Outcome.APPLIED : Outcome.STALE;
    }

    private CompletionStage<Void> reject(Message<String> record, Rejection why, String what, String reason) {
        rejected.get(why).increment();
        Log.warnf("users replica: skipped %s at %s: %s", what, HoldingStore.position(record), reason);
        return record.ack();
    }
}
