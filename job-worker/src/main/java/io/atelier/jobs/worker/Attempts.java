package io.atelier.jobs.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.atelier.jobs.config.JobsConfig;
import io.atelier.jobs.store.JobRow;
import io.atelier.jobs.store.JobStore;
import io.atelier.platform.events.jobs.JobError;
import io.atelier.platform.web.PageCursor;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * The rules of an attempt's end, each in a transaction of its own: success; a permanent error (FAILED); a
 * transient one (RETRYING after backoff, or DEAD with a dead letter once the attempts are used up); a lease
 * that lapsed (the worker is gone: the attempt counts as failed).
 */
@ApplicationScoped
public class Attempts {

    /** Errors are cut to this many characters (they are for humans; the history keeps every attempt's). */
    static final int MAX_ERROR = 2_000;

    private final JobStore store;
    private final Clock clock;
    private final RetryPolicy retries;
    private final MeterRegistry metrics;

    Attempts(JobStore store, Clock clock, JobsConfig config, MeterRegistry metrics) {
        this.store = store;
        this.clock = clock;
        this.retries = new RetryPolicy(config.retry().baseDelay(), config.retry().maxDelay());
        this.metrics = metrics;
    }

    @Transactional
    public List<JobRow> claim(String type, int limit, String owner, Duration lease) {
        Instant now = now();
        return store.claim(type, limit, owner, now, now.plus(lease));
    }

    /** Extends the leases {@code owner} still holds; returns those it holds. */
    public Set<UUID> renew(String owner, Collection<UUID> ids, Duration lease) {
        return store.renew(owner, ids, now().plus(lease));
    }

    /**
     * Several successes in one transaction (see {@link Successes}).
     *
     * @return the ids recorded; the others' leases had been taken over, their outcomes dropped
     */
    @Transactional
    public Set<UUID> succeededAll(List<JobStore.Success> successes, String owner) {
        Set<UUID> recorded = store.succeedAll(successes, owner, now()).stream().map(JobRow::id).collect(Collectors.toSet());
        successes.forEach(success -> count(success.job(), recorded.contains(success.job().id()) ? "succeeded" : "lost"));
        return recorded;
    }

    /** A handler's permanent error: FAILED, no retry. */
    @Transactional
    public void failedPermanently(JobRow job, String owner, Instant startedAt, String error) {
        Instant now = now();
        Optional<JobRow> failed = store.fail(job, owner, new JobError(job.attempts(), cut(error), startedAt, now, null), now);
        metrics.counter("atelier.jobs.failures", "type", job.type(), "kind", "permanent").increment();
        count(job, failed.isPresent() ? "failed" : "lost");
    }

    /** A transient error (or a timeout): RETRYING after backoff, or DEAD once the attempts are used up. */
    @Transactional
    public void failed(JobRow job, String owner, Instant startedAt, String error, String kind) {
        metrics.counter("atelier.jobs.failures", "type", job.type(), "kind", kind).increment();
        count(job, failTransiently(job, owner, startedAt, error));
    }

    /** Running jobs whose worker stopped renewing their lease: each counts as a failed attempt. */
    @Transactional
    public int reapLapsed(int limit) {
        Instant now = now();
        List<JobRow> lapsed = store.lockLapsed(now, limit);
        for (JobRow job : lapsed) {
            Log.warnf("job %s (%s): lease of %s lapsed at %s; taking it back", job.id(), job.type(), job.leaseOwner(),
                    job.leaseUntil());
            metrics.counter("atelier.jobs.failures", "type", job.type(), "kind", "lease-lapsed").increment();
            count(job, failTransiently(job, job.leaseOwner(), job.startedAt(),
                    "lease lapsed: worker " + job.leaseOwner() + " stopped renewing it (killed or stalled)"));
        }
        return lapsed.size();
    }

    /** At shutdown: what this worker still runs goes back to the queue, its unfinished attempt not counted. */
    @Transactional
    public int handBack(String owner) {
        return store.handBack(owner, now()).size();
    }

    private String failTransiently(JobRow job, String owner, Instant startedAt, String error) {
        Instant now = now();
        if (job.attempts() >= job.maxAttempts()) {
            Optional<JobRow> dead = store.bury(job, owner, new JobError(job.attempts(), cut(error), startedAt, now, null), now);
            dead.ifPresent(d -> metrics.counter("atelier.jobs.dead-letters", "type", job.type()).increment());
            return dead.isPresent() ? "dead" : "lost";
        }
        Instant retryAt = PageCursor.truncate(now.plus(retries.delay(job.attempts(), ThreadLocalRandom.current())));
        Optional<JobRow> retrying = store.retryLater(job, owner,
                new JobError(job.attempts(), cut(error), startedAt, now, retryAt), now);
        return retrying.isPresent() ? "retrying" : "lost";
    }

    private void count(JobRow job, String outcome) {
        if ("lost".equals(outcome)) {
            Log.warnf("job %s (%s): its lease was taken over before attempt %d ended; its outcome is dropped", job.id(),
                    job.type(), job.attempts());
        }
        metrics.counter("atelier.jobs.attempts", "type", job.type(), "outcome", outcome).increment();
    }

    static String cut(String error) {
        String text = error == null ? "unknown error" : error;
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "…";
    }

    private Instant now() {
        return PageCursor.truncate(clock.instant());
    }
}
