package io.atelier.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.atelier.jobs.support.TwoSchedulers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Two instances of the packaged application run one schedule that ticks every second: each tick makes
 * exactly one job, which runs, although both instances fire every tick (this instance's metrics show it
 * firing them, and finding ticks whose job the other made).
 */
@QuarkusIntegrationTest
@WithTestResource(TwoSchedulers.class)
class SchedulesIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final int TICKS = 6;

    TwoSchedulers.Run run;

    @Test
    void twoReplicasMakeOneJobPerTick() throws Exception {
        // The other instance started first and has been firing alone; from now on both fire every tick.
        Instant since = Instant.now();
        double fired = firings();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> firings() - fired >= TICKS && ticksCounted("taken") >= 1);
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> ticks("SUCCEEDED").keySet().stream().filter(t -> t.isAfter(since)).count() >= TICKS);

        Map<Instant, Integer> all = ticks(null);
        assertThat(all.keySet().stream().filter(t -> t.isAfter(since))).hasSizeGreaterThanOrEqualTo(TICKS);
        assertThat(all.values()).as("jobs per tick").containsOnly(1);
        assertThat(all.keySet()).allSatisfy(tick -> assertThat(tick.getNano()).isZero());
        assertThat(ticksCounted("failed")).isZero();
    }

    /** How often this instance fired the schedule, whichever instance made the tick's job. */
    private double firings() throws Exception {
        return ticksCounted("created") + ticksCounted("taken");
    }

    /** The schedule's jobs by tick (of one status, or all), counted. */
    private Map<Instant, Integer> ticks(String status) throws SQLException {
        Map<Instant, Integer> ticks = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(run.jdbcUrl(), run.user(), run.password());
                PreparedStatement query = connection.prepareStatement("""
                        SELECT schedule_tick, count(*) FROM jobs.job WHERE schedule_name = ? AND (CAST(? AS TEXT) IS NULL OR status = ?)
                        GROUP BY schedule_tick""")) {
            query.setString(1, run.schedule());
            query.setString(2, status);
            query.setString(3, status);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ticks.put(rows.getObject(1, OffsetDateTime.class).toInstant(), rows.getInt(2));
                }
            }
        }
        return ticks;
    }

    /** This instance's {@code atelier.jobs.schedule.ticks} of the schedule with {@code outcome}. */
    private double ticksCounted(String outcome) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.managementPort()
                + "/q/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher line = Pattern.compile("^atelier_jobs_schedule_ticks_total\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        double total = 0;
        while (line.find()) {
            if (line.group(1).contains("outcome=\"" + outcome + "\"") && line.group(1).contains("schedule=\"" + run.schedule() + "\"")) {
                total += Double.parseDouble(line.group(2));
            }
        }
        return total;
    }
}
