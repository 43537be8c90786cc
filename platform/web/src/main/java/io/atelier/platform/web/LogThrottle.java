package io.atelier.platform.web;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval for a condition that recurs on every request (a dependency
 * away: rate limits failing open, a cache answering from PostgreSQL).
 */
public final class LogThrottle {

    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextLineAt = new AtomicLong(Long.MIN_VALUE);

    public LogThrottle(Clock clock, Duration interval) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** Whether a line is due now; when it is, the next one waits an interval (one caller wins a race). */
    public boolean due() {
        long now = clock.millis();
        long due = nextLineAt.get();
        return now >= due && nextLineAt.compareAndSet(due, now + intervalMillis);
    }
}
