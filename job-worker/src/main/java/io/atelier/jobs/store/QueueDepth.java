package io.atelier.jobs.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.atelier.jobs.handler.Handlers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.internal.InstrumentationUtil;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code atelier.jobs.queue.depth{status,type}}: unfinished jobs (QUEUED, SCHEDULED, RUNNING, RETRYING) by
 * status and type, counted every {@code atelier.jobs.metrics.depth-refresh}. Known types show 0 rather than
 * vanish. Finished jobs are counted as they finish (the worker's counters), not here.
 */
@ApplicationScoped
public class QueueDepth {

    private static final Set<JobStatus> UNFINISHED = EnumSet.complementOf(EnumSet.copyOf(JobStatus.FINISHED));
    private static final String COUNT = """
            SELECT status, type, count(*) FROM job
            WHERE status IN ('QUEUED', 'SCHEDULED', 'RUNNING', 'RETRYING') GROUP BY status, type""";

    private final AgroalDataSource dataSource;
    private final Handlers handlers;
    private final MultiGauge depth;

    QueueDepth(AgroalDataSource dataSource, Handlers handlers, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.handlers = handlers;
        this.depth = MultiGauge.builder("atelier.jobs.queue.depth")
                .description("Unfinished jobs by status and type").register(metrics);
    }

    @Scheduled(every = "${atelier.jobs.metrics.depth-refresh:10s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        InstrumentationUtil.suppressInstrumentation(this::count); // no trace per count
    }

    private void count() {
        Map<List<String>, Long> counts = new HashMap<>();
        Set<String> types = new TreeSet<>(handlers.types());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(COUNT);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                counts.put(List.of(rows.getString(1), rows.getString(2)), rows.getLong(3));
                types.add(rows.getString(2));
            }
        } catch (SQLException e) {
            Log.warnf("could not count jobs for atelier.jobs.queue.depth: %s", e.getMessage());
            return;
        }
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
        for (JobStatus status : UNFINISHED) {
            for (String type : types) {
                long count = counts.getOrDefault(List.of(status.name(), type), 0L);
                gaugeRows.add(MultiGauge.Row.of(Tags.of("status", status.name(), "type", type), count));
            }
        }
        depth.register(gaugeRows, true);
    }
}
