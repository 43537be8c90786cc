package io.atelier.jobs.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every job-worker setting; each is overridable by env var (ATELIER_JOBS_...). docs/jobs.md lists them. */
@ConfigMapping(prefix = "atelier.jobs")
public interface JobsConfig {

    Pages pages();

    Submit submit();

    Retry retry();

    Worker worker();

    /** What a type has when {@link #types()} does not say otherwise. */
    TypeDefaults defaults();

    /**
     * Per job type, e.g. {@code atelier.jobs.types."webhook.deliver".timeout=30s} (quoted: type names have dots).
     * Anything left out comes from {@link #defaults()}.
     */
    Map<String, TypeSettings> types();

    Webhook webhook();

    Metrics metrics();

    Requests requests();

    /**
     * Recurring jobs by schedule name, e.g. {@code atelier.jobs.schedules.nightly-cleanup.cron=0 0 3 * * ?} with
     * {@code .type=noop} and {@code .payload={}}. Each tick makes one job across all replicas. None by default.
     */
    Map<String, Schedule> schedules();

    interface Schedule {
        /** Quartz-style cron with seconds, as quarkus-scheduler reads it: {@code sec min hour day month weekday [year]}. */
        String cron();

        /** The zone {@link #cron()} is read in. */
        @WithDefault("UTC")
        ZoneId zone();

        /** The job type each tick submits. */
        String type();

        /** The payload each tick's job gets (JSON), checked against the type's schema at start. */
        @WithDefault("{}")
        String payload();

        /** The job's priority; 0 when absent. */
        OptionalInt priority();

        /** The job's attempts; the type's default when absent. */
        OptionalInt maxAttempts();

        /** Who owns the jobs (who may read them through the API): by default nobody's, the nil UUID. */
        @WithDefault("00000000-0000-0000-0000-000000000000")
        UUID userId();

        /** Set to false to stop a schedule without removing its settings. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Pages {
        /** Items per page when the client gives no {@code limit}. */
        @WithDefault("20")
        int defaultLimit();

        /** The largest {@code limit} a client may ask for. */
        @WithDefault("100")
        int maxLimit();
    }

    interface Submit {
        /** The largest payload, as compact JSON in UTF-8; larger is a 413. */
        @WithDefault("65536")
        int maxPayloadBytes();

        /** How far ahead {@code runAt} may be. */
        @WithDefault("366d")
        Duration maxDelay();

        /** The most attempts a client may ask for ({@code maxAttempts}). */
        @WithDefault("25")
        int maxAttempts();
    }

    interface Retry {
        /** The backoff before the second attempt is at most this; it doubles per attempt (full jitter below it). */
        @WithDefault("1s")
        Duration baseDelay();

        /** No backoff is longer than this. */
        @WithDefault("5m")
        Duration maxDelay();
    }

    interface Worker {
        /** Whether this instance runs jobs; without it the instance serves the API only. */
        @WithDefault("true")
        boolean enabled();

        /** The most jobs one claim takes (per type, never more than the type has free slots). */
        @WithDefault("16")
        int batchSize();

        /** How often an idle worker looks for due jobs when no notification woke it. */
        @WithDefault("1s")
        Duration pollInterval();

        /** How long a claim holds a job without a heartbeat; a job whose lease lapsed is taken again. */
        @WithDefault("30s")
        Duration lease();

        /** How often a worker renews the leases of its running jobs (well inside {@link #lease()}). */
        @WithDefault("10s")
        Duration heartbeat();

        /** At shutdown, how long running jobs may finish before they are interrupted and handed back. */
        @WithDefault("10s")
        Duration shutdownGrace();

        /** Whether to LISTEN for submits (PostgreSQL NOTIFY) so idle workers wake at once, not at the next poll. */
        @WithDefault("true")
        boolean listen();
    }

    interface TypeDefaults {
        /** Jobs of one type this instance runs at once. */
        @WithDefault("8")
        int concurrency();

        /** The longest one attempt may run; then it is interrupted and counts as a failed attempt. */
        @WithDefault("60s")
        Duration timeout();

        /** Attempts of a job that does not ask for its own {@code maxAttempts}. */
        @WithDefault("3")
        int maxAttempts();
    }

    interface TypeSettings {
        OptionalInt concurrency();

        Optional<Duration> timeout();

        OptionalInt maxAttempts();
    }

    interface Webhook {
        /** The HMAC-SHA256 signing secret; when absent it is read from {@link #secretFile()}. */
        Optional<String> secret();

        /** A file holding the signing secret (./atelier generates one locally). */
        Optional<Path> secretFile();

        @WithDefault("5s")
        Duration connectTimeout();

        /** How long to wait for the receiver's answer once connected. */
        @WithDefault("10s")
        Duration readTimeout();

        /**
         * Networks a webhook may reach although they are private, loopback or link-local (CIDR blocks or
         * single addresses, e.g. {@code 10.20.0.0/16,127.0.0.1}). Empty: public addresses only.
         */
        Optional<List<String>> allowedNetworks();
    }

    interface Requests {
        /** While the database refuses, a request from {@code jobs.requests} is retried with backoff up to this. */
        @WithDefault("30s")
        Duration maxBackoff();
    }

    interface Metrics {
        /** How often the queue-depth gauge counts unfinished jobs by status and type. */
        @WithDefault("10s")
        Duration depthRefresh();
    }
}
