package io.atelier.platform.web;

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
}
