package io.atelier.workspace.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The live workspace ({@code /ws/projects/{id}}, docs/workspace.md); each setting overridable by env var. */
@ConfigMapping(prefix = "atelier.workspace.live")
public interface LiveConfig {

    History history();

    Connections connections();

    Presence presence();

    Messages messages();

    Jobs jobs();

    interface History {
        /** Each project keeps at least its last this many non-cursor messages for clients that resume... */
        @WithDefault("1000")
        int keepMessages();

        /** ...and at least those of this long ago. */
        @WithDefault("10m")
        Duration keepFor();

        /** Messages read from PostgreSQL per page when a client resumes or an instance fills a gap. */
        @WithDefault("200")
        int page();

        /**
         * How often each instance asks PostgreSQL whether its projects moved on without it (a message
         * lost on the way through Redis, or Redis away): the longest a message can be late then.
         */
        @WithDefault("1s")
        Duration catchUpInterval();

        /** Messages carried between instances through the Redis stream (about; only a buffer, PostgreSQL holds history). */
        @WithDefault("10000")
        long transportRetained();
    }

    interface Connections {
        /** Open sockets one user may hold on one instance; the next is closed with 4408. */
        @WithDefault("10")
        int perUser();

        /**
         * Live messages waiting per socket. A client further behind is sent the rest from PostgreSQL's
         * history instead (memory stays bounded); one that does not read at all is closed with 4408
         * "too slow" after {@link #stallTimeout()}.
         */
        @WithDefault("1000")
        int queue();

        /** How long a client catching up may take to receive one page of history before it is "too slow". */
        @WithDefault("15s")
        Duration stallTimeout();
    }

    interface Presence {
        /** How often each instance tells Redis its connections are alive. */
        @WithDefault("5s")
        Duration heartbeat();

        /**
         * A connection not heard of for this long is gone (its instance died): swept, and USER_LEAVE sent.
         * With the sweep every heartbeat, a ghost is gone within expiry + heartbeat.
         */
        @WithDefault("20s")
        Duration expiry();
    }

    interface Messages {
        /** Messages one socket may send per second (cursor moves included); beyond it, 4408 "too many messages". */
        @WithDefault("100")
        int perSecond();

        /** Largest client message, in bytes of UTF-8 (the WebSocket frame limit is 64 KiB). */
        @WithDefault("65536")
        int maxBytes();

        /** Cursor moves relayed per socket per second at most; those between are coalesced to the latest. */
        @WithDefault("20")
        int cursorsPerSecond();

        /** Longest file path in FILE_CHANGE and CURSOR_UPDATE, in characters. */
        @WithDefault("1024")
        int maxPathLength();

        /** Largest {@code change} of a FILE_CHANGE, in bytes of its JSON. */
        @WithDefault("32768")
        int maxChangeBytes();

        /** Recently changed files listed by GET .../workspace/status. */
        @WithDefault("50")
        int recentFiles();
    }

    /** Job status changes relayed from {@code jobs.status} to project sockets as JOB_STATUS. */
    interface Jobs {
        /** Longest {@code lastError} a JOB_STATUS carries, in characters; a longer one is cut, marked with "…". */
        @WithDefault("1000")
        int maxErrorLength();

        /**
         * Longest pause between attempts to store a job status while the database refuses it (doubling from
         * 250 ms). The consumer holds the event meanwhile; nothing behind it overtakes it.
         */
        @WithDefault("10s")
        Duration maxBackoff();
    }
}
