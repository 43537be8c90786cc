package io.atelier.platform.ratelimit;

import java.time.Duration;

/**
 * The answer for one subject under one limit.
 *
 * @param allowed whether the request may go ahead (for {@code acquire}, its cells were taken)
 * @param remaining cells still available right now, after this request when it was allowed
 * @param retryAfter when denied, how long until the same request would be allowed; zero when allowed
 * @param resetAfter how long until the subject has its full burst again (nothing owed)
 * @param failedOpen Redis could not be asked (down, slow, erroring): allowed without checking
 */
public record Decision(boolean allowed, long remaining, Duration retryAfter, Duration resetAfter, boolean failedOpen) {

    /** What the limiter answers when Redis cannot decide: allowed, as if the subject owed nothing. */
    static Decision failedOpen(RateLimit limit) {
        return new Decision(true, limit.burst(), Duration.ZERO, Duration.ZERO, true);
    }

    /**
     * {@link #retryAfter()} in whole seconds for a {@code Retry-After} header: rounded up, and at least 1
     * when denied (a client told "0" would retry at once); 0 when allowed.
     */
    public long retryAfterSeconds() {
        if (allowed) {
            return 0;
        }
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
