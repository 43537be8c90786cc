package io.atelier.jobs.schedule;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.ConstraintViolationException;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.jobs.config.JobsConfig;
import io.atelier.jobs.job.JobInput;
import io.atelier.jobs.job.JobProblems;
import io.atelier.jobs.job.JobService;
import io.atelier.jobs.job.JobView;
import io.atelier.jobs.store.JobStore;
import io.atelier.platform.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/**
 * Recurring jobs ({@code atelier.jobs.schedules.*}). quarkus-scheduler fires each schedule's cron on every
 * replica; each firing submits the tick's job through {@link JobService#submitForTick}, whose insert is
 * guarded by the unique (schedule, tick) index, so the first replica's transaction makes the job and the
 * others' make nothing: one job per tick across all replicas, whatever their number.
 *
 * <p>At start each schedule that made a job before and missed ticks since (every replica was down) runs its
 * latest missed tick once, not every missed one: a schedule states "do this regularly", and a burst of
 * stale runs after an outage helps nobody. A schedule that never made a job starts with its next tick.
 * A tick whose job cannot be stored (the database is down on every replica) is not retried; the next
 * start catches up on the latest one.
 */
@ApplicationScoped
public class Schedules {

    /** quarkus-scheduler's job identity of a schedule. */
    static final String JOB_PREFIX = "atelier-jobs-schedule-";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*");
    private static final int MAX_NAME = 100;
    // Quartz syntax (seconds first, '?' for an unset day field): quarkus-scheduler's default cron type.
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /** A schedule as read and checked at start. */
    record Plan(String name, JobsConfig.Schedule settings, ExecutionTime times, JobInput input) {

        /** The latest tick at or before {@code now}. */
        Optional<Instant> latestTick(Instant now) {
            return times.lastExecution(ZonedDateTime.ofInstant(now, settings.zone())).map(ZonedDateTime::toInstant);
        }
    }

    private final JobsConfig config;
    private final JobService jobs;
    private final JobStore store;
    private final Scheduler scheduler;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<String, Plan> plans = new TreeMap<>();

    Schedules(JobsConfig config, JobService jobs, JobStore store, Scheduler scheduler, ObjectMapper json, Clock clock,
            MeterRegistry metrics) {
        this.config = config;
        this.jobs = jobs;
        this.store = store;
        this.scheduler = scheduler;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Checks every schedule (a wrong one stops the start, as a wrong handler does), catches up, then schedules. */
    void start(@Observes StartupEvent start) {
        config.schedules().forEach((name, settings) -> {
            if (settings.enabled()) {
                plans.put(name, checked(name, settings));
            }
        });
        for (Plan plan : plans.values()) {
            catchUp(plan, clock.instant());
            scheduler.newJob(JOB_PREFIX + plan.name())
                    .setCron(plan.settings().cron())
                    .setTimeZone(plan.settings().zone().getId())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setSkipPredicate(Scheduled.ApplicationNotRunning.class)
                    // A cron's finest unit is the second; every replica computes the same tick.
                    .setTask(execution -> fire(plan.name(), execution.getScheduledFireTime().truncatedTo(ChronoUnit.SECONDS)))
                    .schedule();
        }
        if (!plans.isEmpty()) {
            Log.infof("job schedules: %s", plans.keySet());
        }
    }

    /**
     * Submits {@code name}'s job of {@code tick} unless a replica did already.
     *
     * @return the job when this call made it; empty when it existed, or could not be stored (logged, counted)
     */
    public Optional<JobView> fire(String name, Instant tick) {
        Plan plan = plans.get(name);
        if (plan == null) {
            throw new IllegalArgumentException("no enabled schedule " + name);
        }
        try {
            Optional<JobView> job = jobs.submitForTick(name, tick, plan.settings().userId(), plan.input());
            if (job.isPresent()) {
                count(name, "created");
                Log.debugf("schedule %s: tick %s made job %s", name, tick, job.get().id());
            } else {
                count(name, "taken");
                Log.debugf("schedule %s: tick %s's job was made by another replica", name, tick);
            }
            return job;
        } catch (RuntimeException e) {
            count(name, "failed");
            Log.warnf(e, "schedule %s: could not store the job of tick %s; the tick is skipped here", name, tick);
            return Optional.empty();
        }
    }

    /**
     * When {@code plan} made a job before and its latest tick at {@code now} made none, makes that one (the
     * ticks between are skipped). Returns the job it made.
     */
    Optional<JobView> catchUp(Plan plan, Instant now) {
        Optional<Instant> due = plan.latestTick(now).map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        Optional<Instant> last;
        try {
            last = store.latestTick(plan.name());
        } catch (RuntimeException e) {
            Log.warnf(e, "schedule %s: could not read its latest tick; no catch-up at this start", plan.name());
            return Optional.empty();
        }
        if (due.isEmpty() || last.isEmpty() || !last.get().isBefore(due.get())) {
            return Optional.empty();
        }
        Log.infof("schedule %s: ticks were missed since %s (no replica ran); running the latest, %s, once",
                plan.name(), last.get(), due.get());
        return fire(plan.name(), due.get());
    }

    /** The enabled schedule called {@code name}, as checked at start. */
    Optional<Plan> plan(String name) {
        return Optional.ofNullable(plans.get(name));
    }

    /** The schedule read and checked: a name, cron and job the API would accept, else an IllegalStateException. */
    Plan checked(String name, JobsConfig.Schedule settings) {
        String where = "atelier.jobs.schedules." + name;
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw new IllegalStateException(where + ": a schedule's name is lower-case words joined by '.' or '-'");
        }
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron(CRON.parse(settings.cron()).validate());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ".cron is not a Quartz cron expression: " + e.getMessage(), e);
        }
        JsonNode payload;
        try {
            payload = json.readTree(settings.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(where + ".payload is not JSON", e);
        }
        JobInput input = new JobInput(settings.type(), payload, null,
                settings.maxAttempts().isPresent() ? settings.maxAttempts().getAsInt() : null,
                settings.priority().isPresent() ? settings.priority().getAsInt() : null, null);
        try {
            jobs.check(input);
        } catch (ProblemException e) {
            throw new IllegalStateException(where + " is not a job the API would accept: " + JobProblems.describe(e));
        } catch (ConstraintViolationException e) {
            throw new IllegalStateException(where + " is not a job the API would accept: " + e.getMessage());
        }
        return new Plan(name, settings, times, input);
    }

    private void count(String schedule, String outcome) {
        metrics.counter("atelier.jobs.schedule.ticks", "schedule", schedule, "outcome", outcome).increment();
    }
}
