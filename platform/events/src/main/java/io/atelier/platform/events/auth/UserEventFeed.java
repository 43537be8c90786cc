package io.atelier.platform.events.auth;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.CloudEventHeaders;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.events.HoldingStore;
import io.atelier.platform.events.ReceivedEvent;
import io.atelier.platform.events.ReceivedEvent.NotACloudEventException;
import io.atelier.platform.events.auth.UserEventReader.UnreadableEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;

/**
 * The one loop that applies auth-service's user events ({@code auth.user-events}) to a store of users, one record
 * at a time in partition order. Each service that keeps users brings only its store ({@link Sink}): platform/users
 * upserts its PostgreSQL replica, pipeline-ingest its Redis profile cache.
 *
 * <ul>
 * <li>{@code auth.user.created}/{@code auth.user.updated}: handed to the sink, which must keep the newest state
 * (a redelivery or a replay then changes nothing).</li>
 * <li>Other types on the topic: acknowledged and ignored.</li>
 * <li>A record that is not a CloudEvent, or whose payload cannot be used: logged (position and ids only), counted,
 * acknowledged. Retrying cannot fix it, and holding it would stop every event behind it.</li>
 * <li>The store refusing for now (down, timeouts): the record is held and retried with backoff
 * ({@link HoldingStore}) until it is stored, so nothing is lost and nothing overtakes it. If the application stops
 * meanwhile the record is nacked, never acknowledged, and comes again after the restart.</li>
 * </ul>
 *
 * Metrics: {@code <prefix>.retries} and {@code <prefix>.rejected{reason}}. Call {@link #stop()} at shutdown.
 */
public final class UserEventFeed {

    /** Why a record was skipped: the {@code reason} tag of {@code <prefix>.rejected}. */
    public enum Rejection {
        NOT_A_CLOUD_EVENT("not-a-cloud-event"),
        UNREADABLE("unreadable"),
        UNSTORABLE("unstorable");

        private final String tag;

        Rejection(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** Stores one user's state; blocking; throws when the store failed (the record is then held and retried). */
    @FunctionalInterface
    public interface Sink<T> {
        T store(String eventId, UserState user) throws Exception;
    }

    private final String name;
    private final UserEventReader reader;
    private final HoldingStore holding;
    private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);

    /**
     * @param name how log lines call the consumer, e.g. "users replica"
     * @param metricPrefix e.g. {@code atelier.users.replica}
     * @param maxBackoff the longest pause between attempts while the store fails
     */
    public UserEventFeed(String name, String metricPrefix, ObjectMapper json, Duration maxBackoff,
            MeterRegistry metrics) {
        this.name = name;
        this.reader = new UserEventReader(json);
        Counter retries = Counter.builder(metricPrefix + ".retries")
                .description("Failed attempts to store a user event, each retried").register(metrics);
        this.holding = new HoldingStore(name, maxBackoff, retries::increment);
        for (Rejection why : Rejection.values()) {
            rejected.put(why, Counter.builder(metricPrefix + ".rejected").tag("reason", why.tag)
                    .description("Records on auth.user-events skipped as unusable").register(metrics));
        }
    }

    /**
     * Applies one record (call from a {@code @Blocking} {@code @Incoming} method of a channel with
     * {@code cloud-events=false}) and answers its ack or nack.
     *
     * @param stored told what the sink answered, once stored
     */
    public <T> CompletionStage<Void> consume(Message<String> record, Sink<T> sink, Consumer<T> stored) {
        Message<String> message;
        try {
            message = CloudEventHeaders.attach(record);
        } catch (NotACloudEventException e) {
            return reject(record, Rejection.NOT_A_CLOUD_EVENT, "record", e.getMessage());
        }
        try (Scope ignored = EventContext.restore(message)) {
            ReceivedEvent event = ReceivedEvent.of(message);
            if (!UserEventReader.replicates(event.type())) {
                Log.debugf("%s: ignoring %s %s", name, HoldingStore.loggable(event.type()),
                        HoldingStore.loggable(event.id()));
                return record.ack();
            }
            String what = event.type() + " " + HoldingStore.loggable(event.id());
            UserState user;
            try {
                user = reader.read(event.type(), record.getPayload());
            } catch (UnreadableEvent e) {
                return reject(record, Rejection.UNREADABLE, what, e.getMessage());
            }
            return switch (holding.store(what, () -> sink.store(event.id(), user), failure -> null)) {
                case HoldingStore.Outcome.Stored<T> done -> {
                    stored.accept(done.value());
                    yield record.ack();
                }
                case HoldingStore.Outcome.Refused<T> refused -> reject(record, Rejection.UNSTORABLE, what,
                        refused.refusal().detail());
                case HoldingStore.Outcome.Stopped<T> stopped -> record.nack(stopped.failure());
            };
        }
    }

    /** The application stops: a held record is handed back at once. */
    public void stop() {
        holding.stop();
    }

    private CompletionStage<Void> reject(Message<String> record, Rejection why, String what, String reason) {
        rejected.get(why).increment();
        Log.warnf("%s: skipped %s at %s: %s", name, what, HoldingStore.position(record), reason);
        return record.ack();
    }
}
