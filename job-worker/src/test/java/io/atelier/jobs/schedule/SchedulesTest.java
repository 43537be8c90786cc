package io.atelier.jobs.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.atelier.jobs.config.JobsConfig;
import io.atelier.jobs.job.JobView;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Schedules on the real servers: the once-per-tick guarantee under concurrent firings (what two replicas
 * firing the same tick amount to), the catch-up at start, and the checks that stop a wrong schedule. Its
 * schedules tick at 03:00 only, so the scheduler itself stays out of the way; ticks are given by the test.
 * SchedulesIT runs two instances with a schedule of every second.
 */
@QuarkusTest
@TestProfile(SchedulesTest.TwoSchedules.class)
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "job-worker"))
@WithTestResource(TestTokenKeys.class)
class SchedulesTest {

    /** Names unique per run: the database is shared by every run, and ticks are remembered. */
    public static class TwoSchedules implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String run = UUID.randomUUID().toString().substring(0, 8);
            return Map.of(
                    "atelier.jobs.schedules.nightly-" + run + ".cron", "0 0 3 * * ?",
                    "atelier.jobs.schedules.nightly-" + run + ".type", "noop",
                    "atelier.jobs.schedules.nightly-" + run + ".payload", "{\"from\":\"schedule\"}",
                    "atelier.jobs.schedules.nightly-" + run + ".priority", "5",
                    "atelier.jobs.schedules.missed-" + run + ".cron", "0 0 3 * * ?",
                    "atelier.jobs.schedules.missed-" + run + ".type", "noop",
                    "atelier.jobs.schedules.fresh-" + run + ".cron", "0 0 3 * * ?",
                    "atelier.jobs.schedules.fresh-" + run + ".type", "noop");
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** A 03:00 UTC tick long past: no scheduler fires it, only the test. */
    private static final Instant TICK = Instant.parse("2026-01-05T03:00:00Z");

    @Inject
    Schedules schedules;

    @Inject
    JobsConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void concurrentFiringsOfOneTickMakeOneJobThatRuns() throws Exception {
        String name = schedule("nightly-");
        int replicas = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<Optional<JobView>>> firings = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                firings.add(threads.submit(() -> {
                    go.await();
                    return schedules.fire(name, TICK);
                }));
            }
            go.countDown();
            List<JobView> made = new ArrayList<>();
            for (Future<Optional<JobView>> firing : firings) {
                firing.get().ifPresent(made::add);
            }
            assertThat(made).hasSize(1);
            assertThat(jobsOf(name)).containsOnlyKeys(TICK).containsEntry(TICK, 1);
            UUID job = made.getFirst().id();
            await().atMost(WITHIN).until(() -> "SUCCEEDED".equals(status(job)));
            assertThat(column(job, "priority")).isEqualTo("5");
            assertThat(column(job, "payload")).isEqualTo("{\"from\": \"schedule\"}");
            assertThat(column(job, "user_id")).isEqualTo(new UUID(0, 0).toString());
            // The same tick fired again later (a replica whose clock is behind) makes nothing either.
            assertThat(schedules.fire(name, TICK)).isEmpty();
            assertThat(jobsOf(name)).containsEntry(TICK, 1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void startAfterMissedTicksRunsOnlyTheLatestOnce() {
        String name = schedule("missed-");
        Instant before = TICK.minus(Duration.ofDays(10));
        assertThat(schedules.fire(name, before)).isPresent();
        Schedules.Plan plan = schedules.plan(name).orElseThrow();

        // Every replica was down for three nights and a bit: one job, for the latest of the three ticks.
        Instant now = before.plus(Duration.ofDays(3)).plus(Duration.ofHours(5));
        Optional<JobView> caughtUp = schedules.catchUp(plan, now);
        assertThat(caughtUp).isPresent();
        Instant latest = before.plus(Duration.ofDays(3));
        assertThat(jobsOf(name)).containsOnlyKeys(before, latest);
        // A second start (or a second replica starting) finds nothing missed.
        assertThat(schedules.catchUp(plan, now)).isEmpty();
        assertThat(schedules.catchUp(plan, now.plus(Duration.ofHours(1)))).isEmpty();
        assertThat(jobsOf(name)).hasSize(2);
    }

    @Test
    void aScheduleThatNeverRanStartsWithItsNextTick() {
        String name = schedule("fresh-");
        assertThat(schedules.catchUp(schedules.plan(name).orElseThrow(), Instant.now())).isEmpty();
        assertThat(jobsOf(name)).isEmpty();
    }

    @Test
    void aScheduleTheApiWouldRefuseStopsTheStart() {
        assertThatThrownBy(() -> schedules.checked("bad-type", settings("0 0 3 * * ?", "nope", "{}", 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("atelier.jobs.schedules.bad-type")
                .hasMessageContaining("type");
        assertThatThrownBy(() -> schedules.checked("bad-cron", settings("every night", "noop", "{}", 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("atelier.jobs.schedules.bad-cron.cron");
        assertThatThrownBy(() -> schedules.checked("bad-json", settings("0 0 3 * * ?", "noop", "{", 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("payload is not JSON");
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 21; i++) {
            wide.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
        }
        assertThatThrownBy(() -> schedules.checked("too-wide", settings("0 0 3 * * ?", "noop", wide + "}", 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("payload");
        assertThatThrownBy(() -> schedules.checked("many-attempts", settings("0 0 3 * * ?", "noop", "{}", 99)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> schedules.checked("Not A Name", settings("0 0 3 * * ?", "noop", "{}", 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("lower-case");
        assertThat(schedules.checked("fine", settings("0 */5 * * * ?", "noop", "{}", 3)).name()).isEqualTo("fine");
    }

    @Test
    void firingAnUnknownScheduleIsAProgrammingError() {
        assertThatThrownBy(() -> schedules.fire("no-such-schedule", TICK)).isInstanceOf(IllegalArgumentException.class);
    }

    private String schedule(String prefix) {
        return config.schedules().keySet().stream().filter(n -> n.startsWith(prefix)).findFirst().orElseThrow();
    }

    private static JobsConfig.Schedule settings(String cron, String type, String payload, int maxAttempts) {
        return new JobsConfig.Schedule() {
            public String cron() {
                return cron;
            }

            public ZoneId zone() {
                return ZoneOffset.UTC;
            }

            public String type() {
                return type;
            }

            public String payload() {
                return payload;
            }

            public OptionalInt priority() {
                return OptionalInt.empty();
            }

            public OptionalInt maxAttempts() {
                return OptionalInt.of(maxAttempts);
            }

            public UUID userId() {
                return new UUID(0, 0);
            }

            public boolean enabled() {
                return true;
            }
        };
    }

    /** The schedule's jobs by tick, counted. */
    private Map<Instant, Integer> jobsOf(String schedule) {
        Map<Instant, Integer> ticks = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT schedule_tick, count(*) FROM job WHERE schedule_name = ? GROUP BY schedule_tick")) {
            query.setString(1, schedule);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ticks.put(rows.getObject(1, OffsetDateTime.class).toInstant(), rows.getInt(2));
                }
            }
            return ticks;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String status(UUID job) {
        return column(job, "status");
    }

    private String column(UUID job, String column) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT " + column + " FROM job WHERE id = ?")) {
            query.setObject(1, job);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
