package io.atelier.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration MAX = Duration.ofSeconds(10);

    @Test
    void startsAtAQuarterSecondAndDoublesUpToTheMaximum() {
        Duration pause = Duration.ZERO;
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            pause = Backoff.next(pause, MAX);
            seen.append(pause.toMillis()).append(' ');
        }

        assertThat(seen.toString().strip()).isEqualTo("250 500 1000 2000 4000 8000 10000 10000");
    }

    @Test
    void aMaximumBelowTheFirstPauseWins() {
        assertThat(Backoff.next(Duration.ZERO, Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(100));
    }
}
