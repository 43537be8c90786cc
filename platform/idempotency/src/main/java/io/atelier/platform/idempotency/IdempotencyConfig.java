package io.atelier.platform.idempotency;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "atelier.idempotency")
public interface IdempotencyConfig {

    /** How long a key keeps its answer; a key used again after that creates again. */
    @WithDefault("24h")
    Duration retention();

    /** Expired keys deleted per statement: the janitor never holds long locks. */
    @WithDefault("1000")
    int sweepChunk();
}
