package io.atelier.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/** Deletes sent events and remembered event ids once they are older than their retention. */
@ApplicationScoped
class OutboxJanitor {

    private static final int CHUNK = 5_000;
    private static final String DELETE_SENT = """
            DELETE FROM atelier_outbox WHERE seq IN (
              SELECT seq FROM atelier_outbox WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT %d)""".formatted(CHUNK);
    private static final String DELETE_CONSUMED = """
            DELETE FROM atelier_consumed_event WHERE ctid IN (
              SELECT ctid FROM atelier_consumed_event WHERE consumed_at < ? LIMIT %d)""".formatted(CHUNK);

    private final AgroalDataSource dataSource;
    private final OutboxConfig config;

    OutboxJanitor(AgroalDataSource dataSource, OutboxConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Scheduled(every = "${atelier.outbox.cleanup-interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void clean() {
        int events = deleteOlderThan(DELETE_SENT, config.retention());
        int ids = deleteOlderThan(DELETE_CONSUMED, config.dedupeRetention());
        if (events + ids > 0) {
            Log.infof("outbox cleanup: deleted %d sent events and %d consumed event ids", events, ids);
        }
    }

    /** Deletes in small chunks, each its own transaction, so writers are never blocked for long. */
    int deleteOlderThan(String sql, Duration retention) {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(retention));
        int total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection connection = dataSource.getConnection();
                        PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setTimestamp(1, cutoff);
                    return delete.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == CHUNK);
        return total;
    }
}
