package io.atelier.jobs.worker;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Backoff between attempts: exponential with full jitter and a cap (as BullMQ and Celery do, after AWS's
 * "Exponential Backoff And Jitter"). After attempt {@code n} failed, the next waits a uniformly random time
 * in {@code [0, min(cap, base * 2^(n-1))]}: spread out, so many jobs failing together do not come back
 * together, and never longer than the cap.
 */
public record RetryPolicy(Duration base, Duration cap) {

    public RetryPolicy {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, not " + base + " and " + cap);
        }
    }

    /** The longest wait after {@code failedAttempt} (1 for the first). */
    public Duration ceiling(int failedAttempt) {
        int doublings = Math.max(0, failedAttempt - 1);
        long baseMillis = base.toMillis();
        long ceiling = doublings >= 63 || baseMillis > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE
                : baseMillis << doublings;
        return Duration.ofMillis(Math.min(ceiling, cap.toMillis()));
    }

    /** The wait after {@code failedAttempt}: uniform in {@code [0, ceiling]}. */
    public Duration delay(int failedAttempt, RandomGenerator random) {
        long ceiling = ceiling(failedAttempt).toMillis();
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }
}
