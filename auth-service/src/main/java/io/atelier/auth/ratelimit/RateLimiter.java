package io.atelier.auth.ratelimit;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.ExpireArgs;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.ValueCommands;

/**
 * Fixed-window counters in Redis, shared by every replica. Fails open: when Redis cannot be reached
 * the request is allowed, the failure logged and counted ({@code atelier.auth.ratelimit.unavailable}),
 * because locking everyone out of sign-in is worse than a short window without limits.
 */
@ApplicationScoped
public class RateLimiter {

    private static final String PREFIX = "auth:limit:";

    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final Counter unavailable;

    RateLimiter(RedisDataSource redis, MeterRegistry metrics) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.unavailable = metrics.counter("atelier.auth.ratelimit.unavailable");
    }

    /** Hits of {@code key} in its current window (0 when Redis cannot be reached). */
    public long count(String key) {
        try {
            Long count = counters.get(PREFIX + key);
            return count == null ? 0 : count;
        } catch (RuntimeException e) {
            redisDown(e);
            return 0;
        }
    }

    /** When {@code key} has reached {@code limit} in its current window: how long until it resets. */
    public Optional<Duration> blockedFor(String key, int limit) {
        return blockedFor(key, count(key), limit);
    }

    /** As {@link #blockedFor(String, int)}, for a count the caller has already read. */
    public Optional<Duration> blockedFor(String key, long count, int limit) {
        try {
            if (count < limit) {
                return Optional.empty();
            }
            long ttl = keys.pttl(PREFIX + key);
            return Optional.of(Duration.ofMillis(Math.max(ttl, 1000)));
        } catch (RuntimeException e) {
            redisDown(e);
            return Optional.empty();
        }
    }

    /** Counts one hit; the first hit of a window starts it. */
    public void hit(String key, Duration window) {
        try {
            counters.incr(PREFIX + key);
            // NX: only the first hit sets the expiry, and a hit that lost its expiry (crash) gets one.
            keys.pexpire(PREFIX + key, window.toMillis(), new ExpireArgs().nx());
        } catch (RuntimeException e) {
            redisDown(e);
        }
    }

    /** Counts one hit and tells whether it went over the limit. */
    public Optional<Duration> hitAndCheck(String key, int limit, Duration window) {
        hit(key, window);
        return blockedFor(key, limit + 1);
    }

    /** Takes back one hit (a reservation that turned out not to count). */
    public void undo(String key) {
        try {
            counters.decr(PREFIX + key);
        } catch (RuntimeException e) {
            redisDown(e);
        }
    }

    public void reset(String key) {
        try {
            keys.del(PREFIX + key);
        } catch (RuntimeException e) {
            redisDown(e);
        }
    }

    private void redisDown(RuntimeException e) {
        unavailable.increment();
        Log.warnf("rate limits unavailable (Redis): %s; allowing the request", e.getMessage());
    }
}
