package io.atelier.jobs.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What wakes this instance's worker before its next poll: a commit that made a job due (here, or elsewhere
 * through NOTIFY), a freed slot, or the time a known job becomes due (a retry's backoff, a delayed job
 * submitted here). Jobs made due elsewhere at a later time are found by the poll.
 */
@ApplicationScoped
public class Wakeups {

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;
    private final AtomicReference<Instant> nextDue = new AtomicReference<>();

    Wakeups(Clock clock) {
        this.clock = clock;
    }

    /** Something may be due now. */
    public void wake() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A job becomes due at {@code at}: the worker wakes then at the latest. */
    public void dueAt(Instant at) {
        nextDue.accumulateAndGet(at, (current, next) -> current == null || next.isBefore(current) ? next : current);
        wake(); // the worker recomputes how long it may sleep
    }

    /**
     * Sleeps until woken, or until the earliest known due time, or {@code poll} at most. Returns at once
     * when a wake-up came since the last call.
     */
    public void await(Duration poll) throws InterruptedException {
        lock.lock();
        try {
            while (!pending) {
                Instant now = clock.instant();
                Instant due = nextDue.get();
                long waitNanos = poll.toNanos();
                if (due != null) {
                    if (!due.isAfter(now)) {
                        nextDue.compareAndSet(due, null);
                        return;
                    }
                    waitNanos = Math.min(waitNanos, Duration.between(now, due).toNanos());
                }
                if (waitNanos <= 0 || !signalled.await(waitNanos, TimeUnit.NANOSECONDS)) {
                    // Timed out: the poll, or the due time came.
                    Instant after = clock.instant();
                    Instant known = nextDue.get();
                    if (known != null && !known.isAfter(after)) {
                        nextDue.compareAndSet(known, null);
                    }
                    return;
                }
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
