package io.atelier.pipeline.enrich;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.events.auth.UserEventFeed;
import io.atelier.platform.events.auth.UserUpdated;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Feeds the profile cache in Redis from auth.user-events through platform/events' {@link UserEventFeed}, the same
 * loop (reading, holding and retrying, rejecting) platform/users' replica runs; only the store differs. Metrics
 * {@code atelier.pipeline.profiles.applied|retries|rejected{reason}}.
 */
@ApplicationScoped
@RegisterForReflection(targets = { UserCreated.class, UserUpdated.class })
class UserProfileFeed {

    private final RedisUserProfiles profiles;
    private final UserEventFeed feed;
    private final Counter applied;

    UserProfileFeed(RedisUserProfiles profiles, ObjectMapper json, EnrichConfig config, MeterRegistry metrics) {
        this.profiles = profiles;
        this.feed = new UserEventFeed("profile cache", "atelier.pipeline.profiles", json,
                config.profiles().maxBackoff(), metrics);
        this.applied = Counter.builder("atelier.pipeline.profiles.applied")
                .description("User events that changed the profile cache").register(metrics);
    }

    @Incoming("user-profiles")
    @Blocking
    public CompletionStage<Void> consume(Message<String> record) {
        return feed.consume(record, (eventId, user) -> profiles.store(user), changed -> {
            if (changed) {
                applied.increment();
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        feed.stop();
    }
}
