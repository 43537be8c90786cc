-- job-worker: recurring jobs (docs/jobs.md, "Schedules"). A job made by a schedule's tick names the schedule
-- and the tick; the unique index lets one job exist per (schedule, tick), whichever replica inserts it
-- first (the others' INSERT ... ON CONFLICT DO NOTHING inserts nothing). It also answers "the latest tick
-- that ran" for the catch-up at start. Nullable columns without a default: adding them rewrites nothing.

ALTER TABLE job
    ADD COLUMN schedule_name TEXT,
    ADD COLUMN schedule_tick TIMESTAMPTZ;

-- NOT VALID: every existing row has both null; checking them would hold the table's lock for a scan.
ALTER TABLE job ADD CONSTRAINT job_schedule_both
    CHECK ((schedule_name IS NULL) = (schedule_tick IS NULL)) NOT VALID;

CREATE UNIQUE INDEX job_schedule_tick ON job (schedule_name, schedule_tick) WHERE schedule_name IS NOT NULL;
