package io.atelier.jobs.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import com.fasterxml.jackson.databind.JsonNode;

import io.atelier.jobs.store.JobRow;
import io.atelier.jobs.store.JobStore;

/**
 * Records successful attempts in groups: one thread writes whatever succeeded since its last write in one
 * transaction, so a busy worker commits once per group instead of once per job, while an idle one still
 * writes each success at once. A job's thread waits until its success is committed, so a slot is freed
 * only after its outcome is durable, as before. When a group's transaction fails, each job is written on its
 * own, so one row the database refuses costs only that job its recording.
 */
final class Successes {

    /** Writes a group in one transaction; returns the ids that were still this worker's (others were taken over). */
    interface GroupWriter {
        Set<UUID> write(List<JobStore.Success> group);
    }

    private record Pending(JobStore.Success success, CompletableFuture<Boolean> recorded) {
    }

    private final BlockingQueue<Pending> queue;
    private final int maxGroup;
    private final GroupWriter writer;
    private final Thread thread;

    /**
     * @param capacity at least the jobs that may run at once (each waits for its own success, so the queue
     *                 never holds more than that)
     */
    Successes(int capacity, int maxGroup, GroupWriter writer) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.maxGroup = maxGroup;
        this.writer = writer;
        this.thread = Thread.ofPlatform().name("job-successes").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /**
     * Records the success and waits until it is committed.
     *
     * @return true when recorded; false when another worker had taken the job over (the outcome is dropped)
     * @throws RuntimeException when it could not be written (the lease then lapses and the job runs again)
     */
    boolean record(JobRow job, JsonNode result) throws InterruptedException {
        Pending pending = new Pending(new JobStore.Success(job, result), new CompletableFuture<>());
        queue.put(pending);
        try {
            return pending.recorded().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    /** Successes waiting to be written (for tests). */
    int waiting() {
        return queue.size();
    }

    /** Stops writing; successes not yet written fail (their jobs are handed back or their leases lapse). */
    void stop() {
        thread.interrupt();
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(pending -> pending.recorded().completeExceptionally(new CancellationException("worker stopping")));
    }

    private void run() {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(group, maxGroup - 1);
            write(group);
            group.clear();
        }
    }

    private void write(List<Pending> group) {
        try {
            Set<UUID> held = writer.write(group.stream().map(Pending::success).toList());
            group.forEach(pending -> pending.recorded().complete(held.contains(pending.success().job().id())));
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).recorded().completeExceptionally(e);
                return;
            }
            for (Pending pending : group) {
                write(List.of(pending));
            }
        }
    }
}
