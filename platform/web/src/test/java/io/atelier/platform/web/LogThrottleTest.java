package io.atelier.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class LogThrottleTest {

    /** A clock the test moves (platform/testing's MovableClock is not on this module's test path). */
    private static final class SteppedClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final SteppedClock clock = new SteppedClock();
    private final LogThrottle throttle = new LogThrottle(clock, Duration.ofSeconds(30));

    @Test
    void theFirstOccurrenceLogsThenOneLinePerInterval() {
        assertThat(throttle.due()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.due()).isFalse();
        }
        clock.now = clock.now.plusMillis(29_999);
        assertThat(throttle.due()).isFalse();
        clock.now = clock.now.plusMillis(1);
        assertThat(throttle.due()).isTrue();
        assertThat(throttle.due()).isFalse();
    }
}
