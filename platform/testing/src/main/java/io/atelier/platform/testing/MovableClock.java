package io.atelier.platform.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests move: expiry, windows and rates are tested by advancing it, not by waiting.
 * Thread-safe. A test app makes it the app's clock with a producer, e.g.
 * {@code @Produces @Singleton MovableClock clock = new MovableClock();}.
 */
public class MovableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** Starts at the current time, to the millisecond. */
    public MovableClock() {
        this(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    public MovableClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private MovableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves time forward (or back, with a negative amount) and returns the new now. */
    public Instant advance(Duration amount) {
        return now.updateAndGet(instant -> instant.plus(amount));
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same moving time seen from another zone (moving either moves both). */
    @Override
    public Clock withZone(ZoneId zone) {
        return new MovableClock(now, zone);
    }
}
