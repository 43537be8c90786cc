package io.atelier.platform.web;

import java.time.Duration;

/** 429 with {@code Retry-After} in whole seconds, rounded up, at least one. */
public class TooManyRequests extends ProblemException {

    public TooManyRequests(String detail, Duration retryAfter) {
        super(ProblemType.RATE_LIMITED, detail);
        withHeader(AtelierHeaders.RETRY_AFTER, Long.toString(AtelierHeaders.retryAfterSeconds(retryAfter)));
    }
}
