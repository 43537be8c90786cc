-- A claim reads the due jobs of one type in (priority DESC, run_at, id) order and stops at its LIMIT. In that
-- order, the index lets it read only the rows it takes, however deep the queue. job_runnable, in (status, run_at)
-- order, made every claim fetch and sort all due rows first: 15 ms for a claim of 50 with 30,000 jobs queued,
-- the busiest statement of a deep queue (bench/results/jobs-20261207T0422Z.md).
CREATE INDEX job_claim_order ON job (type, priority DESC, run_at, id) WHERE status IN ('QUEUED', 'SCHEDULED', 'RETRYING');
DROP INDEX job_runnable;
