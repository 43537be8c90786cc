package io.atelier.platform.ratelimit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "atelier.ratelimit")
public interface RateLimitConfig {

    /**
     * Longest wait for Redis on one decision before failing open. Applies to this library's calls only:
     * {@code quarkus.redis.timeout} bounds the service's own blocking Redis calls, not these. A healthy
     * local Redis answers in well under a millisecond; this only has to cover a GC pause or a failover.
     */
    @WithDefault("500ms")
    Duration timeout();

    /**
     * While Redis is unavailable, one WARN line per this interval (with the number of requests let
     * through unchecked since the previous one) rather than one per request.
     */
    @WithDefault("30s")
    Duration warnInterval();
}
