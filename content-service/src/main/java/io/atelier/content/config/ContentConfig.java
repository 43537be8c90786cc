package io.atelier.content.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every content-service setting; each is overridable by env var (ATELIER_CONTENT_...). */
@ConfigMapping(prefix = "atelier.content")
public interface ContentConfig {

    Pages pages();

    Notifications notifications();

    interface Pages {
        /** Items per page when the client gives no {@code limit}. */
        @WithDefault("20")
        int defaultLimit();

        /** The largest {@code limit} a client may ask for. */
        @WithDefault("100")
        int maxLimit();
    }

    interface Notifications {
        /**
         * Notifications the feed keeps for clients that reconnect with {@code ?since=} (Redis trims in
         * nodes of 100, so up to 100 more are kept). At 10,000, ten minutes hold up to ~16 changes a second.
         */
        @WithDefault("10000")
        long retained();

        /** How long a consumed event's id is remembered, so a redelivered event is not notified twice. */
        @WithDefault("30m")
        Duration dedupeWindow();

        /**
         * Live messages waiting for one socket. A client further behind is sent the rest from the feed's
         * history instead (memory stays bounded; a stalled client never holds the others back); one that
         * does not read at all is closed with 4408 "too slow" after {@link #stallTimeout()}.
         */
        @WithDefault("1000")
        int queuePerConnection();

        /** Missed notifications read from the feed at once while a client catches up (reconnected, or fell behind). */
        @WithDefault("200")
        int replayPage();

        /**
         * How long a client catching up may take to receive one page; longer, and it is not reading: it is
         * closed with 4408 "too slow".
         */
        @WithDefault("15s")
        Duration stallTimeout();

        /** Messages a client may send per second (it has nothing to say but an application-level PING). */
        @WithDefault("5")
        int clientMessagesPerSecond();

        /** The largest message a client may send, in bytes; a larger one closes the socket with 1009. */
        @WithDefault("4096")
        int clientMessageMaxBytes();
    }
}
