package io.atelier.platform.events.jobs;

import java.util.UUID;

import io.atelier.platform.events.DomainEvent;

/**
 * What job-worker publishes. Every event is keyed by its job, so one job's changes stay in order. Statuses
 * travel as their names: {@code QUEUED}, {@code SCHEDULED}, {@code RUNNING}, {@code RETRYING},
 * {@code SUCCEEDED}, {@code FAILED}, {@code DEAD}, {@code CANCELLED}.
 */
public sealed interface JobEvent extends DomainEvent permits JobStatusChanged, JobDeadLettered {

    UUID jobId();

    @Override
    default String subject() {
        return jobId().toString();
    }
}
