package io.atelier.platform.events.jobs;

import java.time.Instant;
import java.util.UUID;

import io.atelier.platform.events.Topics;

/**
 * A job's status changed (on {@code jobs.status}); also its first status at submit ({@code previousStatus}
 * null). {@code projectId} is null for a job that belongs to no project; {@code lastError} is the latest
 * attempt's error, null when there was none.
 */
public record JobStatusChanged(UUID jobId, UUID userId, UUID projectId, String type, String status,
        String previousStatus, int attempts, int maxAttempts, String lastError, Instant runAt, Instant at)
        implements JobEvent {

    public static final String TYPE = "jobs.job.status-changed";

    @Override
    public String topic() {
        return Topics.JOBS_STATUS;
    }

    @Override
    public String eventType() {
        return TYPE;
    }
}
