package io.atelier.jobs.store;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** A job to insert; its status follows from {@code runAt} (due: QUEUED, later: SCHEDULED). */
public record NewJob(UUID id, UUID userId, UUID projectId, String type, JsonNode payload, int priority,
        Instant runAt, int maxAttempts) {
}
