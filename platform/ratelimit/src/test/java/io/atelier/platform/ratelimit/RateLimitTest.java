package io.atelier.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void burstDefaultsToThePermits() {
        RateLimit limit = RateLimit.of("login-account", 5, Duration.ofMinutes(1));
        assertThat(limit.burst()).isEqualTo(5);
        assertThat(limit.withBurst(1).burst()).isEqualTo(1);
        assertThat(limit.withBurst(20)).isEqualTo(new RateLimit("login-account", 5, Duration.ofMinutes(1), 20));
    }

    @Test
    void emissionIntervalIsThePeriodSharedByThePermits() {
        assertThat(RateLimit.of("a", 5, Duration.ofMinutes(1)).emissionInterval()).isEqualTo(Duration.ofSeconds(12));
        assertThat(RateLimit.of("a", 1000, Duration.ofSeconds(1)).emissionInterval()).isEqualTo(Duration.ofMillis(1));
        assertThat(RateLimit.of("a", 1, Duration.ofDays(1)).emissionInterval()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void emissionIntervalIsRoundedDownToTheMicrosecond() {
        assertThat(RateLimit.of("a", 3, Duration.ofSeconds(1)).emissionInterval()).isEqualTo(Duration.ofNanos(333_333_000));
        assertThat(RateLimit.of("a", 7, Duration.ofMinutes(1)).emissionIntervalMicros()).isEqualTo(8_571_428);
    }

    @Test
    void toleranceIsTheBurstInIntervals() {
        assertThat(RateLimit.of("a", 5, Duration.ofMinutes(1)).tolerance()).isEqualTo(Duration.ofMinutes(1));
        assertThat(RateLimit.of("a", 5, Duration.ofMinutes(1)).withBurst(2).tolerance()).isEqualTo(Duration.ofSeconds(24));
        assertThat(RateLimit.of("a", 100, Duration.ofSeconds(1)).withBurst(500).tolerance()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void nameIsPlainEnoughForKeysAndTags() {
        RateLimit.of("signup.ip_v2-x", 1, Duration.ofSeconds(1));
        for (String bad : new String[] { null, "", "Login", "login:ip", "a b", "-a", "é", "x".repeat(65) }) {
            assertThatThrownBy(() -> RateLimit.of(bad, 1, Duration.ofSeconds(1)))
                    .as("name %s", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsLimitsThatCannotWork() {
        assertThatThrownBy(() -> RateLimit.of("a", 0, Duration.ofSeconds(1))).hasMessageContaining("permits");
        assertThatThrownBy(() -> RateLimit.of("a", 1, Duration.ZERO)).hasMessageContaining("period");
        assertThatThrownBy(() -> RateLimit.of("a", 1, Duration.ofSeconds(-1))).hasMessageContaining("period");
        assertThatThrownBy(() -> RateLimit.of("a", 1, null)).hasMessageContaining("period");
        assertThatThrownBy(() -> RateLimit.of("a", 1, Duration.ofSeconds(1)).withBurst(0)).hasMessageContaining("burst");
        assertThatThrownBy(() -> RateLimit.of("a", 2_000_000, Duration.ofSeconds(1))).hasMessageContaining("microsecond");
        assertThatThrownBy(() -> RateLimit.of("a", 1, Duration.ofDays(400))).hasMessageContaining("period");
        assertThatThrownBy(() -> RateLimit.of("a", 1, Duration.ofDays(1)).withBurst(400)).hasMessageContaining("burst");
    }
}
