package io.atelier.platform.ratelimit;

import java.time.Duration;

import io.atelier.platform.web.AtelierHeaders;

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
     * {@link #retryAfter()} in whole seconds for a {@code Retry-After} header, as every 429 and 503 of
     * the suite rounds it ({@link AtelierHeaders#retryAfterSeconds}); 0 when allowed.
     */
    public long retryAfterSeconds() {
        return allowed ? 0 : AtelierHeaders.retryAfterSeconds(retryAfter);
    }
}
