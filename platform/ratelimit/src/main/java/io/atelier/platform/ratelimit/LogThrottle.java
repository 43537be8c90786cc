package io.atelier.platform.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Lets one log line through per interval for a condition that recurs on every request. */
final class LogThrottle {

    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextLineAt = new AtomicLong(Long.MIN_VALUE);

    LogThrottle(Clock clock, Duration interval) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** Whether a line is due now; when it is, the next one waits an interval (one caller wins a race). */
    boolean due() {
        long now = clock.millis();
        long due = nextLineAt.get();
        return now >= due && nextLineAt.compareAndSet(due, now + intervalMillis);
    }
}
