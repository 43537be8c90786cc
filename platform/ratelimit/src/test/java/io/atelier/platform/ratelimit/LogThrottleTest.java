package io.atelier.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.MovableClock;

class LogThrottleTest {

    private final MovableClock clock = new MovableClock();
    private final LogThrottle throttle = new LogThrottle(clock, Duration.ofSeconds(30));

    @Test
    void theFirstOccurrenceLogsThenOneLinePerInterval() {
        assertThat(throttle.due()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.due()).isFalse();
        }
        clock.advance(Duration.ofMillis(29_999));
        assertThat(throttle.due()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.due()).isTrue();
        assertThat(throttle.due()).isFalse();
    }
}
