package io.atelier.platform.events;

import java.time.Duration;

/** Pauses between attempts: 250 ms, doubling up to a maximum. */
public final class Backoff {

    public static final Duration FIRST = Duration.ofMillis(250);

    private Backoff() {
    }

    /** The pause after {@code previous} ({@link Duration#ZERO} before the first retry). */
    public static Duration next(Duration previous, Duration max) {
        Duration next = previous.isZero() ? FIRST : previous.multipliedBy(2);
        return next.compareTo(max) <= 0 ? next : max;
    }
}
