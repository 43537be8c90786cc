package io.atelier.platform.events.jobs;

import java.time.Instant;

/**
 * One failed attempt of a job: its number (1 for the first), what went wrong, when it started and failed,
 * and when the next attempt was due (null when there was none).
 */
public record JobError(int attempt, String error, Instant startedAt, Instant failedAt, Instant retryAt) {
}
