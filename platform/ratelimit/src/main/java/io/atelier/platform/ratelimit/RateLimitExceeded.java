package io.atelier.platform.ratelimit;

import java.util.Map;

import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;

/** A 429 problem with {@code Retry-After} (whole seconds, at least 1) from a denied {@link Decision}. */
public class RateLimitExceeded extends ProblemException {

    public RateLimitExceeded(String detail, Decision decision) {
        super(429, "Too Many Requests", detail, Problem.ABOUT_BLANK, null,
                Map.of("Retry-After", Long.toString(Math.max(1, decision.retryAfterSeconds()))));
    }
}
