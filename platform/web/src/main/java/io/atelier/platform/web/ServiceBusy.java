package io.atelier.platform.web;

import java.time.Duration;

/** 503 with {@code Retry-After}: a bounded resource is saturated; the same request may succeed shortly. */
public class ServiceBusy extends ProblemException {

    public ServiceBusy(String detail, Duration retryAfter) {
        super(ProblemType.BUSY, detail);
        withHeader(AtelierHeaders.RETRY_AFTER, Long.toString(AtelierHeaders.retryAfterSeconds(retryAfter)));
    }
}
