package io.atelier.platform.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves by hand, so expiry and grace windows are tested by moving time, not by
 * waiting. Starts at the real time; install it in a {@code @QuarkusTest} with
 * {@code QuarkusMock.installMockForType(clock, Clock.class)} (the service produces an
 * application-scoped {@link Clock}).
 */
public final class MovableClock extends Clock {

    private final AtomicReference<Instant> now;

    public MovableClock() {
        this(Instant.now());
    }

    public MovableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MovableClock is always UTC");
    }
}
