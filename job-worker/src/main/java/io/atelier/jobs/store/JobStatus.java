package io.atelier.jobs.store;

import java.util.EnumSet;
import java.util.Set;

/** Where a job is in its life (docs/jobs.md, "States"). */
public enum JobStatus {
    /** Due now, waiting for a worker. */
    QUEUED,
    /** Submitted with a {@code runAt} in the future. */
    SCHEDULED,
    /** Claimed by a worker that holds its lease. */
    RUNNING,
    /** An attempt failed; the next is due at {@code run_at} (backoff). */
    RETRYING,
    SUCCEEDED,
    /** A permanent error: no retry. */
    FAILED,
    /** Every attempt failed; a record went to {@code jobs.dead-letter}. */
    DEAD,
    CANCELLED;

    /** Statuses a worker claims from, once {@code run_at} has come. */
    public static final Set<JobStatus> RUNNABLE = EnumSet.of(QUEUED, SCHEDULED, RETRYING);

    /** Statuses a job never leaves by itself. */
    public static final Set<JobStatus> FINISHED = EnumSet.of(SUCCEEDED, FAILED, DEAD, CANCELLED);
}
