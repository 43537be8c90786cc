package io.atelier.jobs.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Plain JUnit: exponential backoff with full jitter and a cap. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void theCeilingDoublesPerAttemptUpToTheCap() {
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.ceiling(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.ceiling(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.ceiling(200)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.ceiling(0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void delaysAreSpreadOverTheWholeRangeAndNeverAboveTheCeiling() {
        SplittableRandom random = new SplittableRandom(7);
        Set<Long> seen = new HashSet<>();
        long below = 0;
        for (int i = 0; i < 2_000; i++) {
            Duration delay = policy.delay(3, random);
            assertThat(delay).isBetween(Duration.ZERO, Duration.ofSeconds(4));
            seen.add(delay.toMillis());
            if (delay.toMillis() < 2_000) {
                below++;
            }
        }
        assertThat(seen.size()).isGreaterThan(1_000); // jitter, not a fixed wait
        assertThat(below).isBetween(800L, 1_200L); // uniform: about half below the midpoint
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
