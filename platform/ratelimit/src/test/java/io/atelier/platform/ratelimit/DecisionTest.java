package io.atelier.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DecisionTest {

    @Test
    void retryAfterSecondsRoundsUp() {
        assertThat(denied(Duration.ofSeconds(12)).retryAfterSeconds()).isEqualTo(12);
        assertThat(denied(Duration.ofMillis(12_001)).retryAfterSeconds()).isEqualTo(13);
        assertThat(denied(Duration.ofNanos(4_000_000_001L)).retryAfterSeconds()).isEqualTo(5);
        assertThat(denied(Duration.ofMillis(4_999)).retryAfterSeconds()).isEqualTo(5);
    }

    @Test
    void aDenialSaysAtLeastOneSecond() {
        assertThat(denied(Duration.ofMillis(1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(denied(Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void anAllowedRequestNeedsNoRetry() {
        assertThat(new Decision(true, 3, Duration.ZERO, Duration.ofSeconds(5), false).retryAfterSeconds()).isZero();
    }

    @Test
    void failingOpenAllowsTheFullBurst() {
        Decision open = Decision.failedOpen(RateLimit.of("a", 5, Duration.ofMinutes(1)).withBurst(7));
        assertThat(open.allowed()).isTrue();
        assertThat(open.failedOpen()).isTrue();
        assertThat(open.remaining()).isEqualTo(7);
        assertThat(open.retryAfterSeconds()).isZero();
    }

    @Test
    void theProblemCarriesRetryAfter() {
        RateLimitExceeded problem = new RateLimitExceeded("slow down", denied(Duration.ofMillis(2_100)));
        assertThat(problem.type().status()).isEqualTo(429);
        assertThat(problem.headers()).containsEntry("Retry-After", "3");
        assertThat(problem.getMessage()).isEqualTo("slow down");
    }

    private static Decision denied(Duration retryAfter) {
        return new Decision(false, 0, retryAfter, retryAfter.plusSeconds(10), false);
    }
}
