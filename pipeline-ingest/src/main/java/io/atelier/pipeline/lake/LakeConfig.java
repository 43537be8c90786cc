package io.atelier.pipeline.lake;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The analytics lake: where it lives, how it is loaded, compacted and expired (docs/pipeline.md, "Analytics lake"). */
@ConfigMapping(prefix = "atelier.lake")
public interface LakeConfig {

    /**
     * The lake's folder. ./atelier passes {@code ATELIER_DATA_DIR} (its {@code .atelier/data}), so a local run
     * writes {@code .atelier/data/lake}; a container mounts a volume here. Several replicas share one folder.
     */
    @WithDefault("../.atelier/data/lake")
    Path dir();

    /**
     * The lake's name in the manifest (rows of lake_offset and lake_file carry it), so a test's temporary lake
     * or a benchmark's never mixes with the real one in the shared schema.
     */
    @WithDefault("main")
    String name();

    Loader loader();

    Compaction compaction();

    /**
     * How long each event type's partitions are kept, by type (e.g. {@code atelier.lake.retention."page_view"=90d});
     * a type not listed is kept for good. A day partition goes once its whole day is older than this.
     */
    Map<String, Duration> retention();

    interface Loader {
        /** Off for an instance that only answers queries. */
        @WithDefault("true")
        boolean enabled();

        /** The consumer group every replica's loader joins, so replicas split the partitions. */
        @WithDefault("pipeline-ingest-lake")
        String groupId();

        /** What is loaded: the enriched product events and the domain topics. */
        @WithDefault("events.enriched,auth.user-events,content.events,workspace.events,jobs.status")
        List<String> topics();

        /**
         * Which of the loaded topics carry enriched product events (the events.enriched contract: a row from the event's
         * fields, its {@code data} as payload); every other topic is read as domain events (CloudEvents headers, the
         * whole value as payload). The analytics benchmark names its own topic here.
         */
        @WithDefault("events.enriched")
        List<String> productTopics();

        /** A batch is written once it holds this many rows... */
        @WithDefault("50000")
        int batchRows();

        /** ...or once its first row waited this long (the lake's freshness, plus a few seconds). */
        @WithDefault("30s")
        Duration batchAge();

        /**
         * Where a partition the manifest holds no offset for is read from: {@code earliest} (everything Kafka still
         * keeps: the lake's history) or {@code latest} (only what arrives from now on).
         */
        @WithDefault("earliest")
        StartAt startAt();

        /** Records per poll (bounds what one poll brings into memory). */
        @WithDefault("5000")
        int maxPollRecords();

        /**
         * A test hook, never for production: the loader halts the JVM (Runtime.halt, as kill -9 would) at this
         * point of its first batch, so tests can check the restart neither loses nor duplicates rows.
         */
        @WithDefault("none")
        CrashPoint crashAt();

        /**
         * DuckDB's threads for writing a batch (the loader's connection only; compaction uses DuckDB's default). One:
         * the loader's own thread reads and maps the next batch meanwhile, and on the 2-core machine a second DuckDB
         * thread mostly waited for a core (a batch's sorted zstd COPY took 105-135 ms on one thread, 180-280 ms on two,
         * with the machine busy).
         */
        @WithDefault("1")
        int threads();

        /** DuckDB's memory for writing a batch. */
        @WithDefault("512MB")
        String memoryLimit();
    }

    interface Compaction {
        /** How often compaction, retention and clean-up run (one replica at a time). */
        @WithDefault("10m")
        Duration every();

        /** A day-and-type partition is compacted once it holds at least this many small files. */
        @WithDefault("4")
        int minFiles();

        /** A file smaller than this counts as small. */
        @WithDefault("67108864")
        long smallFileBytes();

        /** How long a replaced or expired file stays on disk before it is deleted (a query that listed it may still read it). */
        @WithDefault("5m")
        Duration grace();

        /**
         * How old a temporary batch or a data file the manifest does not list must be before it is cleaned up: far
         * longer than a batch takes to write and commit, so a batch in flight is never taken for a stray.
         */
        @WithDefault("1h")
        Duration strayAge();
    }

    enum StartAt {
        EARLIEST, LATEST
    }

    /** Where the test hook halts the loader. */
    enum CrashPoint {
        NONE,
        /** Parquet written under its temporary name, nothing committed. */
        AFTER_WRITE,
        /** Manifest and offsets committed, the files still under their temporary names. */
        AFTER_COMMIT,
        /** Files renamed into place, not yet marked live, Kafka offsets not committed. */
        AFTER_RENAME
    }
}
