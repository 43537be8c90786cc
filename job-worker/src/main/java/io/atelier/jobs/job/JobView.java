package io.atelier.jobs.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.atelier.jobs.store.JobRow;
import io.atelier.jobs.store.JobStatus;
import io.atelier.platform.events.jobs.JobError;

/**
 * A job as its owner sees it. {@code nextRunAt} is when it runs (again) while it waits (QUEUED, SCHEDULED,
 * RETRYING), else null; {@code errors} holds every failed attempt, oldest first.
 */
public record JobView(UUID id, String type, JobStatus status, int attempts, int maxAttempts, int priority,
        UUID projectId, String lastError, Instant createdAt, Instant startedAt, Instant finishedAt, Instant nextRunAt,
        JsonNode result, List<JobError> errors) {

    static JobView of(JobRow row) {
        return new JobView(row.id(), row.type(), row.status(), row.attempts(), row.maxAttempts(), row.priority(),
                row.projectId(), row.lastError(), row.createdAt(), row.startedAt(), row.finishedAt(),
                JobStatus.RUNNABLE.contains(row.status()) ? row.runAt() : null, row.result(), row.errors());
    }
}
