package io.atelier.pipeline.analytics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The query API over the lake (docs/pipeline.md, "Query API"). */
@ConfigMapping(prefix = "atelier.analytics")
public interface AnalyticsConfig {

    /** Who sees what: {@code own} (a user sees only events with their id) or {@code all} (every user sees every event). */
    @WithDefault("own")
    Access access();

    /** Members of this group see every event whatever {@link #access()} says. */
    @WithDefault("analytics")
    String group();

    /** The longest time range of one query. */
    @WithDefault("366d")
    Duration maxRange();

    /** The range when a query names neither end. */
    @WithDefault("7d")
    Duration defaultRange();

    /** The most time buckets one series may have (a minute series is therefore at most ~13 days). */
    @WithDefault("20000")
    int maxBuckets();

    /** The most points (bucket and group) one answer carries; beyond it the answer says {@code truncated}. */
    @WithDefault("20000")
    int maxPoints();

    /** The most values {@code /top} answers. */
    @WithDefault("100")
    int maxLimit();

    /** The most steps of a funnel, and the longest {@code within}. */
    @WithDefault("10")
    int maxFunnelSteps();

    @WithDefault("30d")
    Duration maxWithin();

    /** A query still running after this is cancelled: a 503 {@code query-timeout} problem. */
    @WithDefault("10s")
    Duration queryTimeout();

    /** DuckDB connections for queries (each runs one query at a time); a query waits this long for one. */
    @WithDefault("4")
    int connections();

    @WithDefault("2s")
    Duration connectionWait();

    /** DuckDB's threads and memory for queries. */
    @WithDefault("2")
    int threads();

    @WithDefault("1GB")
    String memoryLimit();

    /**
     * Counts series over whole hours (hour, day, week or month buckets; no groups or a group by type or topic) for
     * viewers who see every event are summed from the hour counts the manifest keeps per file, not read from the
     * Parquet files (docs/pipeline.md, "Hour counts"). Off: always from the files (the benchmark compares both).
     */
    @WithDefault("true")
    boolean hourCounts();

    enum Access {
        OWN, ALL
    }
}
