package io.atelier.platform.idempotency;

/** What a key is bound to: the request's fingerprint and the answer given to it. */
record StoredAnswer(String fingerprint, int status, String body, String location) {
}
