package io.atelier.jobs.handler;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a handler gets for one attempt of a job.
 *
 * @param attempt 1 for the first attempt
 */
public record JobContext(UUID id, String type, UUID userId, UUID projectId, JsonNode payload, int attempt,
        int maxAttempts) {

    /** The same for every attempt of this job: pass it on (e.g. as an {@code Idempotency-Key}) so effects happen once. */
    public String idempotencyKey() {
        return id.toString();
    }
}
