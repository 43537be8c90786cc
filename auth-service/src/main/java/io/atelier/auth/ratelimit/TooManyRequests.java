package io.atelier.auth.ratelimit;

import java.time.Duration;
import java.util.Map;

import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;

public final class TooManyRequests extends ProblemException {

    public TooManyRequests(String detail, Duration retryAfter) {
        super(429, "Too Many Requests", detail, Problem.ABOUT_BLANK, null,
                Map.of("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000))));
    }
}
