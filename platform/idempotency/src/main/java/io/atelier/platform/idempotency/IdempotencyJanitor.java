package io.atelier.platform.idempotency;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/** Deletes keys past their retention, in chunks, every ten minutes. */
@ApplicationScoped
public class IdempotencyJanitor {

    private final IdempotencyStore store;
    private final IdempotencyConfig config;
    private final Clock clock;

    IdempotencyJanitor(IdempotencyStore store, IdempotencyConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweepOnSchedule() {
        int deleted = sweep();
        if (deleted > 0) {
            Log.debugf("deleted %d expired idempotency keys", deleted);
        }
    }

    /** Deletes every expired key; returns how many. */
    public int sweep() {
        java.time.Instant cutoff = clock.instant().minus(config.retention());
        int total = 0;
        int deleted;
        do {
            deleted = store.sweep(cutoff, config.sweepChunk());
            total += deleted;
        } while (deleted == config.sweepChunk());
        return total;
    }
}
