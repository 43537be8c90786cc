package io.atelier.platform.users;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.events.auth.UserEventFeed;
import io.atelier.platform.events.auth.UserState;
import io.atelier.platform.events.auth.UserUpdated;
import io.atelier.platform.outbox.ConsumedEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Applies auth-service's user events to {@code atelier_user} through the shared {@link UserEventFeed} (which
 * reads, holds, retries and rejects records): {@code auth.user.created}/{@code auth.user.updated} become an upsert
 * that keeps the newest state, and the event id remembered by {@link ConsumedEvents}, in one transaction, so a
 * redelivery changes nothing. Metrics {@code atelier.users.replica.applied|retries|rejected{reason}}.
 */
@ApplicationScoped
// Jackson reads the payload records reflectively; a native image needs them registered.
@RegisterForReflection(targets = { UserCreated.class, UserUpdated.class })
class UserReplicaConsumer {

    /** The name this consumer's applied event ids are remembered under in {@code atelier_consumed_event}. */
    static final String CONSUMER = "atelier-users-replica";

    private enum Outcome {
        APPLIED, STALE, DUPLICATE
    }

    private final ConsumedEvents consumed;
    private final UserReplicaWriter writer;
    private final Counter applied;
    private final UserEventFeed feed;

    UserReplicaConsumer(ConsumedEvents consumed, UserReplicaWriter writer, ObjectMapper json, UsersConfig config,
            MeterRegistry metrics) {
        this.consumed = consumed;
        this.writer = writer;
        this.applied = Counter.builder("atelier.users.replica.applied")
                .description("User events that changed the replica").register(metrics);
        this.feed = new UserEventFeed("users replica", "atelier.users.replica", json, config.maxBackoff(), metrics);
    }

    @Incoming("atelier-users")
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        return feed.consume(record,
                (eventId, user) -> QuarkusTransaction.requiringNew().call(() -> apply(eventId, user)),
                outcome -> {
                    switch (outcome) {
                        case APPLIED -> applied.increment();
                        case STALE -> Log.debug("users replica: an event older than the user's row; kept the row");
                        case DUPLICATE -> Log.debug("users replica: an event applied before");
                    }
                });
    }

    void stop(@Observes ShutdownEvent event) {
        feed.stop();
    }

    private Outcome apply(String eventId, UserState state) {
        if (!consumed.firstDelivery(CONSUMER, eventId)) {
            return Outcome.DUPLICATE;
        }
        ReplicatedUser user = new ReplicatedUser(state.id(), state.email(), state.displayName(), state.at());
        return writer.upsert(user) ? Outcome.APPLIED : Outcome.STALE;
    }
}
