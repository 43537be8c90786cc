package io.atelier.pipeline.enrich;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.atelier.platform.events.auth.UserState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;

/**
 * The users' profiles in Redis ({@code pipeline-ingest:user:<id>}, a hash of {@code display_name},
 * {@code signed_up_at} and {@code state_at}), written from auth.user-events by {@link UserProfileFeed} and read for
 * every enriched event. A small local cache (Caffeine, {@code atelier.pipeline.enrich.profiles.cache-ttl}, bounded by
 * {@code cache-size}) sits in front, so a burst of one user's events costs one Redis round trip; it keeps unknown users
 * too (write-key senders' free-form ids). Redis is a cache here: when it does not answer within
 * {@code profiles.timeout} the event goes on without a profile and {@code atelier.pipeline.enrich.profile.unavailable}
 * counts it.
 */
@ApplicationScoped
public class RedisUserProfiles implements UserProfiles {

    static final String PREFIX = "pipeline-ingest:user:";

    // Keeps the newest name whatever the order events arrive in (a replay of the topic, a redelivery): a state
    // older than the stored one changes nothing; on a tie the later event (the partition's order) wins. The sign-up
    // time comes only with auth.user.created and never changes.
    private static final String STORE = """
            if ARGV[4] == '1' then redis.call('HSET', KEYS[1], 'signed_up_at', ARGV[3]) end
            local current = tonumber(redis.call('HGET', KEYS[1], 'state_at'))
            if current == nil or current <= tonumber(ARGV[2]) then
              redis.call('HSET', KEYS[1], 'display_name', ARGV[1], 'state_at', ARGV[2])
              return 1
            end
            return 0""";

    private final RedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final EnrichConfig.Profiles config;
    private final Cache<String, Optional<UserProfile>> local;
    private final Counter unavailable;
    private final Timer lookups;

    RedisUserProfiles(RedisDataSource redis, ReactiveRedisDataSource reactive, EnrichConfig config,
            MeterRegistry metrics) {
        this.redis = redis;
        this.hashes = reactive.hash(String.class);
        this.config = config.profiles();
        this.local = Caffeine.newBuilder().maximumSize(this.config.cacheSize()).expireAfterWrite(this.config.cacheTtl())
                .build();
        this.unavailable = Counter.builder("atelier.pipeline.enrich.profile.unavailable")
                .description("Events enriched without a profile because Redis did not answer").register(metrics);
        this.lookups = Timer.builder("atelier.pipeline.enrich.profile.lookup")
                .description("Profile lookups in Redis (local cache misses)").register(metrics);
    }

    @Override
    public Optional<UserProfile> find(String userId) {
        UUID id = uuid(userId);
        if (id == null) {
            // auth-service's users are UUIDs; anything else is a source's own id and has no profile.
            return Optional.empty();
        }
        Optional<UserProfile> cached = local.getIfPresent(id.toString());
        if (cached != null) {
            return cached;
        }
        Optional<UserProfile> found;
        Timer.Sample sample = Timer.start();
        try {
            found = profile(hashes.hgetall(PREFIX + id).await().atMost(config.timeout()));
        } catch (RuntimeException e) {
            unavailable.increment();
            Log.debugf("profile of user %s not available: %s", id, e.toString());
            // Not cached: the next event of this user asks again.
            return Optional.empty();
        } finally {
            sample.stop(lookups);
        }
        local.put(id.toString(), found);
        return found;
    }

    /**
     * Stores a user's state from one of auth-service's events, keeping the newest, and forgets this instance's cached
     * profile of the user so its next event sees the change. Blocking; throws when Redis fails.
     *
     * @return whether the stored name is now this state's (false: a newer one was stored before)
     */
    public boolean store(UserState user) {
        String id = user.id().toString();
        var applied = redis.execute("EVAL", STORE, "1", PREFIX + id, user.displayName(),
                Long.toString(user.at().toEpochMilli()), user.at().toString(), user.created() ? "1" : "0");
        local.invalidate(id);
        return applied != null && applied.toInteger() == 1;
    }

    private static Optional<UserProfile> profile(Map<String, String> hash) {
        String name = hash.get("display_name");
        String signedUp = hash.get("signed_up_at");
        // Only a user whose creation was seen has a whole profile (the topic's retention may have dropped it).
        if (name == null || signedUp == null) {
            return Optional.empty();
        }
        return Optional.of(new UserProfile(name, Instant.parse(signedUp)));
    }

    private static UUID uuid(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
