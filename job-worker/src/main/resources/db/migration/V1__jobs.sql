-- job-worker: durable jobs (docs/jobs.md). Times are microsecond timestamps written by the service's
-- Clock; workers compare them with their own clock's now, never with the database's.

CREATE TABLE job (
    id            UUID        PRIMARY KEY,
    user_id       UUID        NOT NULL,               -- the owner: only they see the job
    project_id    UUID,                               -- optional: the project it belongs to
    type          TEXT        NOT NULL,
    payload       JSONB       NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('QUEUED', 'SCHEDULED', 'RUNNING', 'RETRYING',
                                                         'SUCCEEDED', 'FAILED', 'DEAD', 'CANCELLED')),
    priority      SMALLINT    NOT NULL DEFAULT 0,     -- higher runs first among due jobs
    run_at        TIMESTAMPTZ NOT NULL,               -- not before: the first run, or the next retry
    attempts      INT         NOT NULL DEFAULT 0,     -- attempts begun (a claim counts one)
    max_attempts  INT         NOT NULL CHECK (max_attempts >= 1),
    last_error    TEXT,
    errors        JSONB       NOT NULL DEFAULT '[]',  -- [{attempt, error, startedAt, failedAt, retryAt}]
    result        JSONB,
    lease_owner   TEXT,                               -- the worker running it (RUNNING only)
    lease_until   TIMESTAMPTZ,                        -- renewed by heartbeat; lapsed = the worker is gone
    created_at    TIMESTAMPTZ NOT NULL,
    started_at    TIMESTAMPTZ,                        -- the latest attempt's start
    finished_at   TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- Claiming: due jobs of runnable statuses, FOR UPDATE SKIP LOCKED, highest priority first. Partial, so
-- finished jobs (the bulk of the table) never weigh on it.
CREATE INDEX job_runnable ON job (status, run_at, priority) WHERE status IN ('QUEUED', 'SCHEDULED', 'RETRYING');

-- Lapsed leases: running jobs whose worker stopped renewing.
CREATE INDEX job_leases ON job (lease_until) WHERE status = 'RUNNING';

-- A user's jobs, newest first (keyset pages).
CREATE INDEX job_by_user ON job (user_id, created_at DESC, id DESC);
