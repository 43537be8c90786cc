package io.atelier.platform.events.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.atelier.platform.events.Topics;

/**
 * A job used up its attempts and is {@code DEAD} (on {@code jobs.dead-letter}), with every attempt's error.
 * The payload stays with the job (it may hold what a topic should not); {@code POST /api/v1/jobs/{id}/retry}
 * replays it.
 */
public record JobDeadLettered(UUID jobId, UUID userId, UUID projectId, String type, int attempts,
        List<JobError> errors, Instant at) implements JobEvent {

    public static final String TYPE = "jobs.job.dead-lettered";

    public JobDeadLettered {
        errors = List.copyOf(errors);
    }

    @Override
    public String topic() {
        return Topics.JOBS_DEAD_LETTER;
    }

    @Override
    public String eventType() {
        return TYPE;
    }
}
