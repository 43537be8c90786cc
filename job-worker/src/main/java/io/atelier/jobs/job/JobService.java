package io.atelier.jobs.job;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.jobs.config.JobsConfig;
import io.atelier.jobs.config.TypeLimits;
import io.atelier.jobs.handler.Handlers;
import io.atelier.jobs.handler.InvalidPayload;
import io.atelier.jobs.handler.JobHandler;
import io.atelier.jobs.store.JobReads;
import io.atelier.jobs.store.JobRow;
import io.atelier.jobs.store.JobStatus;
import io.atelier.jobs.store.JobStore;
import io.atelier.jobs.store.NewJob;
import io.atelier.platform.web.Page;
import io.atelier.platform.web.PageCursor;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.TextPolicy;
import io.micrometer.core.instrument.MeterRegistry;

/** Submitting, reading, cancelling and retrying jobs: the rules of the API. Workers run them (worker package). */
@ApplicationScoped
public class JobService {

    private static final java.util.Set<JobStatus> CANCELLABLE = java.util.EnumSet.of(JobStatus.QUEUED,
            JobStatus.SCHEDULED, JobStatus.RETRYING);
    private static final java.util.Set<JobStatus> RETRYABLE = java.util.EnumSet.of(JobStatus.DEAD, JobStatus.FAILED);

    private final JobStore store;
    private final JobReads reads;
    private final Handlers handlers;
    private final PayloadSchemas schemas;
    private final JobsConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;

    JobService(JobStore store, JobReads reads, Handlers handlers, PayloadSchemas schemas, JobsConfig config,
            ObjectMapper json, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.reads = reads;
        this.handlers = handlers;
        this.schemas = schemas;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Checks the input against the type's rules, then stores the job and its first event (the transaction
     * takes a connection only then). Throws a 400 naming every broken field, or a 413 for a payload over the
     * limit; an input that breaks its Bean Validation constraints is a {@code ConstraintViolationException}
     * (the REST layer checks those first; a {@code jobs.requests} event reaches them here).
     */
    @Transactional
    public JobView submit(UUID ownerId, @Valid @NotNull JobInput input) {
        Instant now = now();
        NewJob job = accept(ownerId, input, now);
        JobView view = JobView.of(store.insert(job, now));
        metrics.counter("atelier.jobs.submitted", "type", job.type()).increment();
        return view;
    }

    /**
     * Many jobs in one transaction, all or none (BullMQ's addBulk): each checked as {@link #submit} checks
     * one, and a 400 names every broken field of every job as {@code jobs[i].field}; a payload over the limit
     * is a 413 naming its job. One commit for the batch instead of one per job.
     */
    @Transactional
    public List<JobView> submitAll(UUID ownerId, @Valid @NotNull JobBatch batch) {
        Instant now = now();
        List<NewJob> accepted = new ArrayList<>(batch.jobs().size());
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < batch.jobs().size(); i++) {
            try {
                accepted.add(accept(ownerId, batch.jobs().get(i), now));
            } catch (JobProblems.PayloadTooLarge e) {
                throw new JobProblems.PayloadTooLarge(config.submit().maxPayloadBytes(), "jobs[" + i + "].payload");
            } catch (JobProblems.Invalid e) {
                String prefix = "jobs[" + i + "].";
                e.errors().forEach(error -> errors.add(new Problem.FieldError(prefix + error.field(), error.message())));
            }
        }
        if (!errors.isEmpty()) {
            throw new JobProblems.Invalid(errors);
        }
        List<JobView> views = store.insertAll(accepted, now).stream().map(JobView::of).toList();
        accepted.forEach(job -> metrics.counter("atelier.jobs.submitted", "type", job.type()).increment());
        return views;
    }

    /**
     * The job of {@code schedule}'s {@code tick}, checked as {@link #submit} checks a job: empty when that
     * tick's job exists already (another replica made it; the unique (schedule, tick) index decides).
     */
    @Transactional
    public Optional<JobView> submitForTick(String schedule, Instant tick, UUID ownerId, @Valid @NotNull JobInput input) {
        Instant now = now();
        NewJob job = accept(ownerId, input, now);
        Optional<JobView> view = store.insertForTick(job, schedule, tick, now).map(JobView::of);
        view.ifPresent(made -> metrics.counter("atelier.jobs.submitted", "type", job.type()).increment());
        return view;
    }

    /** Throws what {@link #submit} would throw for this input, storing nothing: for jobs set up in configuration. */
    public void check(@Valid @NotNull JobInput input) {
        accept(new UUID(0, 0), input, now());
    }

    private NewJob accept(UUID ownerId, JobInput input, Instant now) {
        JobHandler handler = handlers.find(input.type()).orElseThrow(() -> new JobProblems.Invalid("type",
                "is not a known job type (" + String.join(", ", handlers.types()) + ")"));
        checkSize(input.payload());
        List<Problem.FieldError> errors = new ArrayList<>();
        textPolicy(input.payload(), "payload", errors);
        if (errors.isEmpty()) {
            errors.addAll(schemas.check(handler.type(), input.payload()));
        }
        if (errors.isEmpty()) {
            try {
                handler.vet(input.payload());
            } catch (InvalidPayload e) {
                errors.add(new Problem.FieldError(e.field(), e.getMessage()));
            }
        }
        Instant runAt = input.runAt() == null || input.runAt().isBefore(now) ? now : PageCursor.truncate(input.runAt());
        if (runAt.isAfter(now.plus(config.submit().maxDelay()))) {
            errors.add(new Problem.FieldError("runAt", "must be within " + config.submit().maxDelay().toDays() + " days"));
        }
        int maxAttempts = input.maxAttempts() == null ? TypeLimits.of(config, handler.type()).maxAttempts()
                : input.maxAttempts();
        if (maxAttempts > config.submit().maxAttempts()) {
            errors.add(new Problem.FieldError("maxAttempts", "must be at most " + config.submit().maxAttempts()));
        }
        if (!errors.isEmpty()) {
            throw new JobProblems.Invalid(errors);
        }
        return new NewJob(UUID.randomUUID(), ownerId, input.projectId(), handler.type(), input.payload(),
                input.priority() == null ? 0 : input.priority(), runAt, maxAttempts);
    }

    /** 404 for a job that is not the caller's. */
    public JobView get(UUID callerId, UUID id) {
        return reads.find(id, callerId).map(JobView::of).orElseThrow(JobProblems.NoSuchJob::new);
    }

    /** One page of the caller's jobs, newest first, optionally of one status and one type. */
    public Page<JobView> list(UUID callerId, JobStatus status, String type, PageCursor cursor, int limit) {
        List<JobRow> rows = reads.page(callerId, status, type, cursor == null ? null : cursor.at(),
                cursor == null ? null : cursor.id(), limit + 1);
        List<JobRow> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? new PageCursor(page.getLast().createdAt(), page.getLast().id()).encode() : null;
        return new Page<>(page.stream().map(JobView::of).toList(), next);
    }

    /**
     * A job waiting to run (QUEUED, SCHEDULED, or RETRYING between attempts) becomes CANCELLED; a running
     * or finished one is a 409. The row lock orders this against a worker's claim: whichever comes second
     * sees the other's outcome.
     */
    @Transactional
    public JobView cancel(UUID callerId, UUID id) {
        JobRow job = store.lockOwned(id, callerId).orElseThrow(JobProblems.NoSuchJob::new);
        if (!CANCELLABLE.contains(job.status())) {
            throw new JobProblems.NotCancellable(job.status());
        }
        return JobView.of(store.cancel(job, now()));
    }

    /** A DEAD or FAILED job runs again with fresh attempts (its error history is kept); others are a 409. */
    @Transactional
    public JobView retry(UUID callerId, UUID id) {
        JobRow job = store.lockOwned(id, callerId).orElseThrow(JobProblems.NoSuchJob::new);
        if (!RETRYABLE.contains(job.status())) {
            throw new JobProblems.NotRetryable(job.status());
        }
        return JobView.of(store.requeue(job, now()));
    }

    private void checkSize(JsonNode payload) {
        int max = config.submit().maxPayloadBytes();
        try {
            if (json.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8).length > max) {
                throw new JobProblems.PayloadTooLarge(max);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed payload is not serialisable", e);
        }
    }

    /** The suite's text rule for every string and field name in the payload (PostgreSQL's jsonb refuses NUL). */
    private static void textPolicy(JsonNode node, String path, List<Problem.FieldError> errors) {
        if (errors.size() >= 20) {
            return;
        }
        if (node.isTextual() && !TextPolicy.acceptable(node.textValue())) {
            errors.add(new Problem.FieldError(path, "must not contain control characters"));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!TextPolicy.acceptable(field.getKey())) {
                    errors.add(new Problem.FieldError(path, "must not contain control characters in field names"));
                } else {
                    textPolicy(field.getValue(), path + "." + field.getKey(), errors);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                textPolicy(node.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private Instant now() {
        return PageCursor.truncate(clock.instant());
    }
}
