package io.atelier.jobs.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.atelier.platform.events.jobs.JobError;

/** One row of {@code job}, as read or as a change left it. */
public record JobRow(UUID id, UUID userId, UUID projectId, String type, JsonNode payload, JobStatus status,
        int priority, Instant runAt, int attempts, int maxAttempts, String lastError, List<JobError> errors,
        JsonNode result, String leaseOwner, Instant leaseUntil, Instant createdAt, Instant startedAt,
        Instant finishedAt) {
}
