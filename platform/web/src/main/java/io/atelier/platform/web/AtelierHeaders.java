package io.atelier.platform.web;

import java.time.Duration;

/** Header names and values every service uses; the one place they are spelled. */
public final class AtelierHeaders {

    /** Correlates a request across the gateway, services, logs and events (docs/architecture.md). */
    public static final String REQUEST_ID = "X-Request-Id";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Responses carrying tokens or personal data must not be stored by any cache. */
    public static final String NO_STORE = "no-store";

    private AtelierHeaders() {
    }

    /**
     * A wait as the whole seconds of a {@code Retry-After} value: rounded up, and at least 1 (a client
     * told "0" would retry at once).
     */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
