package io.atelier.platform.ratelimit;

import io.atelier.platform.web.TooManyRequests;

/** A 429 problem with {@code Retry-After} (whole seconds, at least 1) from a denied {@link Decision}. */
public class RateLimitExceeded extends TooManyRequests {

    public RateLimitExceeded(String detail, Decision decision) {
        super(detail, decision.retryAfter());
    }
}
