package io.atelier.workspace.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every workspace-service setting; each is overridable by env var (ATELIER_WORKSPACE_...). */
@ConfigMapping(prefix = "atelier.workspace")
public interface WorkspaceConfig {

    Pages pages();

    Cache cache();

    Invites invites();

    interface Pages {
        /** Items per page when the client gives no {@code limit}. */
        @WithDefault("20")
        int defaultLimit();

        /** The largest {@code limit} a client may ask for. */
        @WithDefault("100")
        int maxLimit();
    }

    interface Cache {
        /** How long a cached list page or membership map lives at most (also when nothing changes). */
        @WithDefault("10m")
        Duration ttl();

        /** Longest wait for Redis on one cache call; then the request is answered from PostgreSQL. */
        @WithDefault("250ms")
        Duration timeout();

        /**
         * After Redis failed, how long requests skip it (answered from PostgreSQL, no waiting on a dead
         * server), and how often invalidations that could not be applied are retried.
         */
        @WithDefault("1s")
        Duration retryInterval();

        /** At most this many list pages (different limits and cursors) are kept per user. */
        @WithDefault("32")
        int maxPagesPerUser();

        /** While Redis is away, one WARN line per this interval rather than one per request. */
        @WithDefault("30s")
        Duration warnInterval();

        /**
         * Invalidations kept for retry while Redis is away; beyond it they are dropped (logged), and
         * entries they should have removed expire with their TTL.
         */
        @WithDefault("100000")
        int maxPendingInvalidations();
    }

    interface Invites {
        /** Invitations (POST collaborators) one user may send per {@link #period()}, counted in Redis. */
        @WithDefault("30")
        long limit();

        @WithDefault("1m")
        Duration period();
    }
}
