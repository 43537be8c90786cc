package io.atelier.platform.events.jobs;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;

/**
 * Another service asks job-worker to run a job (on {@code jobs.requests}), for {@code userId}, who then owns
 * it. The fields are those of {@code POST /api/v1/jobs} and obey the same rules: {@code runAt},
 * {@code maxAttempts}, {@code priority} and {@code projectId} may be null. job-worker stores one job per
 * {@code ce_id}: a redelivered request makes no second job. Keyed by the user, so one user's requests stay
 * in order.
 */
public record JobRequested(String type, JsonNode payload, Instant runAt, Integer maxAttempts, Integer priority,
        UUID projectId, UUID userId) implements DomainEvent {

    public static final String TYPE = "jobs.job.requested";

    @Override
    public String topic() {
        return Topics.JOBS_REQUESTS;
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String subject() {
        return userId.toString();
    }
}
