package io.atelier.jobs.worker;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;

import io.atelier.jobs.config.JobsConfig;
import io.atelier.jobs.config.TypeLimits;
import io.atelier.jobs.handler.Handlers;
import io.atelier.jobs.handler.JobContext;
import io.atelier.jobs.handler.JobHandler;
import io.atelier.jobs.handler.PermanentJobFailure;
import io.atelier.jobs.store.JobRow;
import io.atelier.jobs.store.Wakeups;
import io.atelier.platform.events.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.internal.InstrumentationUtil;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * This instance's worker (when {@code atelier.jobs.worker.enabled}). One dispatcher thread claims due jobs,
 * per type no more than the type has free slots ({@code concurrency}), and hands each to a virtual thread;
 * it sleeps until a NOTIFY, a local commit, a freed slot, a known due time or the poll interval. A heartbeat
 * renews the leases of running jobs; a job whose lease another worker took back is interrupted (its outcome
 * would be dropped anyway). Lapsed leases of dead workers are reaped on the heartbeat's rhythm.
 *
 * <p>Threads: the dispatcher, the heartbeat, the listener (platform threads, one each), and one virtual
 * thread per running job plus one for its handler, so a timeout interrupts the handler only, never the
 * thread that records the outcome in PostgreSQL.
 */
@ApplicationScoped
public class JobWorker {

    private static final Duration MAX_ERROR_PAUSE = Duration.ofSeconds(10);
    private static final int REAP_BATCH = 100;
    /** The most successes written in one transaction. */
    private static final int SUCCESS_GROUP = 200;

    private final JobsConfig config;
    private final Handlers handlers;
    private final Attempts attempts;
    private final Wakeups wakeups;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final Optional<String> jdbcPassword;

    /** This worker's name in {@code lease_owner}: unique per process start. */
    private final String owner;
    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
    /** The handler of each job this worker runs: what the heartbeat renews and may interrupt. */
    private final Map<UUID, Future<?>> running = new ConcurrentHashMap<>();

    private volatile boolean stopping;
    private Thread dispatcher;
    private NotifyListener listener;
    private Thread listenerThread;
    private ScheduledExecutorService heartbeat;
    private ExecutorService executions;
    private ExecutorService handlerThreads;
    private Successes successes;

    JobWorker(JobsConfig config, Handlers handlers, Attempts attempts, Wakeups wakeups, Clock clock,
            MeterRegistry metrics, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String jdbcUser,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> jdbcPassword) {
        this.config = config;
        this.handlers = handlers;
        this.attempts = attempts;
        this.wakeups = wakeups;
        this.clock = clock;
        this.metrics = metrics;
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.jdbcPassword = jdbcPassword;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    void start(@Observes StartupEvent start) {
        if (!config.worker().enabled()) {
            Log.info("job worker disabled (atelier.jobs.worker.enabled=false): this instance serves the API only");
            return;
        }
        for (String type : handlers.types()) {
            slots.put(type, new Semaphore(TypeLimits.of(config, type).concurrency()));
        }
        int slotsInAll = slots.values().stream().mapToInt(Semaphore::availablePermits).sum();
        successes = new Successes(slotsInAll, SUCCESS_GROUP, group -> {
            Set<UUID> recorded = new HashSet<>();
            InstrumentationUtil.suppressInstrumentation(() -> recorded.addAll(attempts.succeededAll(group, owner)));
            return recorded;
        });
        successes.start();
        executions = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
        handlerThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-handler-", 0).factory());
        heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("job-heartbeat").daemon().factory());
        long every = config.worker().heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        if (config.worker().listen()) {
            listener = new NotifyListener(jdbcUrl, jdbcUser, jdbcPassword, wakeups);
            listenerThread = Thread.ofPlatform().name("job-listener").daemon().start(listener);
        }
        dispatcher = Thread.ofPlatform().name("job-dispatcher").daemon().start(this::dispatch);
        Log.infof("job worker %s running types %s", owner, handlers.types());
    }

    /** The name this worker writes into {@code lease_owner}. */
    public String owner() {
        return owner;
    }

    private void dispatch() {
        Duration pause = Duration.ZERO;
        Instant nextReap = Instant.MIN;
        while (!stopping) {
            try {
                if (!clock.instant().isBefore(nextReap)) {
                    InstrumentationUtil.suppressInstrumentation(() -> attempts.reapLapsed(REAP_BATCH));
                    nextReap = clock.instant().plus(config.worker().heartbeat());
                }
                boolean more = false;
                for (Map.Entry<String, Semaphore> slot : slots.entrySet()) {
                    more |= claim(slot.getKey(), slot.getValue());
                }
                pause = Duration.ZERO;
                if (!more) {
                    wakeups.await(config.worker().pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                pause = Backoff.next(pause, MAX_ERROR_PAUSE);
                Log.warnf("job worker: %s; trying again in %d ms", e.getMessage(), pause.toMillis());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** @return whether the type may have more due jobs than this claim took */
    private boolean claim(String type, Semaphore free) {
        int limit = Math.min(free.availablePermits(), config.worker().batchSize());
        if (limit <= 0 || stopping) {
            return false;
        }
        List<JobRow> claimed = new ArrayList<>();
        InstrumentationUtil.suppressInstrumentation(
                () -> claimed.addAll(attempts.claim(type, limit, owner, config.worker().lease())));
        for (JobRow job : claimed) {
            free.acquireUninterruptibly(); // only this thread acquires: never blocks
            try {
                executions.submit(() -> execute(job, free));
            } catch (RejectedExecutionException e) {
                free.release(); // stopping: the job is handed back with the others
            }
        }
        return claimed.size() == limit;
    }

    private void execute(JobRow job, Semaphore slot) {
        Instant started = clock.instant();
        if (job.runAt() != null && started.isAfter(job.runAt())) {
            metrics.timer("atelier.jobs.wait", "type", job.type()).record(Duration.between(job.runAt(), started));
        }
        Timer.Sample sample = Timer.start();
        String outcome = "error";
        try {
            JobHandler handler = handlers.find(job.type()).orElseThrow();
            Duration timeout = TypeLimits.of(config, job.type()).timeout();
            JobContext context = new JobContext(job.id(), job.type(), job.userId(), job.projectId(), job.payload(),
                    job.attempts(), job.maxAttempts());
            Future<JsonNode> run = handlerThreads.submit(() -> handler.run(context));
            running.put(job.id(), run); // the heartbeat interrupts the handler if the lease is lost
            try {
                JsonNode result = run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                outcome = successes.record(job, result) ? "succeeded" : "lost";
            } catch (TimeoutException e) {
                run.cancel(true);
                outcome = "timeout";
                attempts.failed(job, owner, started, "timed out after " + timeout.toMillis() + " ms", "timeout");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof PermanentJobFailure) {
                    outcome = "failed";
                    attempts.failedPermanently(job, owner, started, cause.getMessage());
                } else {
                    outcome = "error";
                    attempts.failed(job, owner, started, describe(cause), "error");
                }
            } catch (CancellationException e) {
                outcome = "lost"; // the lease was taken back, or the worker stops: not ours to record
            } catch (InterruptedException e) {
                run.cancel(true);
                throw e;
            }
        } catch (InterruptedException e) {
            outcome = "interrupted"; // shutdown: handed back below, in stop()
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.errorf(e, "job %s (%s): could not record the outcome of attempt %d; its lease will lapse and it runs again",
                    job.id(), job.type(), job.attempts());
        } finally {
            sample.stop(metrics.timer("atelier.jobs.run", "type", job.type(), "outcome", outcome));
            running.remove(job.id());
            slot.release();
            wakeups.wake(); // a slot is free
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Renews the leases of running jobs; interrupts any whose lease another worker took back. */
    private void beat() {
        try {
            Set<UUID> mine = Set.copyOf(running.keySet());
            if (mine.isEmpty()) {
                return;
            }
            Set<UUID> held = new HashSet<>();
            InstrumentationUtil.suppressInstrumentation(() -> held.addAll(
                    attempts.renew(owner, mine, config.worker().lease())));
            for (UUID id : mine) {
                if (!held.contains(id)) {
                    Future<?> lost = running.get(id);
                    if (lost != null && !lost.isDone()) {
                        Log.warnf("job %s: another worker holds it now; interrupting this attempt", id);
                        lost.cancel(true);
                    }
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("job heartbeat: %s (leases lapse unless a later beat succeeds)", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (dispatcher == null) {
            return;
        }
        stopping = true;
        wakeups.wake();
        dispatcher.interrupt();
        if (listener != null) {
            listener.stop();
            listenerThread.interrupt();
        }
        long deadline = System.nanoTime() + config.worker().shutdownGrace().toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                break;
            }
        }
        handlerThreads.shutdownNow();
        executions.shutdownNow();
        successes.stop();
        heartbeat.shutdownNow();
        try {
            int handedBack = attempts.handBack(owner);
            if (handedBack > 0) {
                Log.infof("job worker %s stopped; %d running job(s) handed back to the queue", owner, handedBack);
            }
        } catch (RuntimeException e) {
            Log.warnf("job worker %s: could not hand back running jobs (%s); their leases will lapse", owner,
                    e.getMessage());
        }
    }
}
