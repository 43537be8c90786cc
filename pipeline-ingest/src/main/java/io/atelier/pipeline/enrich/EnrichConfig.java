package io.atelier.pipeline.enrich;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Streams stage's settings (docs/pipeline.md, "Enrichment"); each is overridable by env (ATELIER_PIPELINE_ENRICH_...). */
@ConfigMapping(prefix = "atelier.pipeline.enrich")
public interface EnrichConfig {

    /**
     * How long an event id is remembered by the topology: the same id again on events.raw within it (by the records'
     * timestamps) is dropped. The state store keeps about this much history per partition, on disk and in its changelog.
     */
    @WithDefault("24h")
    Duration dedupWindow();

    Profiles profiles();

    interface Profiles {
        /**
         * How long a looked-up profile (or its absence) is kept in the instance's local cache before Redis is asked
         * again. A rename reaches other instances' events within this; the instance that applies it forgets the old
         * name at once.
         */
        @WithDefault("2s")
        Duration cacheTtl();

        /** The most profiles (known or unknown users) the local cache holds. */
        @WithDefault("10000")
        long cacheSize();

        /** The longest wait for Redis per lookup; then the event goes on without a profile (counted). */
        @WithDefault("250ms")
        Duration timeout();

        /** Longest pause between attempts to store a user event while Redis refuses it. */
        @WithDefault("10s")
        Duration maxBackoff();
    }
}
