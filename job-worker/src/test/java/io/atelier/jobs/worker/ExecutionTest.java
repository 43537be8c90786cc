package io.atelier.jobs.worker;

import static io.atelier.platform.testing.CloudEventRecords.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.atelier.jobs.support.Person;
import io.atelier.jobs.support.TestHandlers;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * How attempts end, on the real servers with this instance's worker; the test profile's backoff is 300 ms
 * doubling to 2 s, the lease 3 s renewed every 500 ms, {@code test.slow}'s timeout 1 s.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "job-worker"))
@WithTestResource(TestTokenKeys.class)
class ExecutionTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final Duration BASE = Duration.ofMillis(300);
    /** How late a due job may be picked up: the poll interval (250 ms) and a loaded 2-core machine. */
    private static final Duration PICKUP_SLACK = Duration.ofSeconds(2);

    TokenForge tokens;

    @Inject
    TestHandlers.Flaky flaky;

    @Inject
    AgroalDataSource dataSource;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyStatusChangeIsAnEventOnJobsStatus() throws Exception {
        try (KafkaTopicReader topic = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.JOBS_STATUS)) {
            Person ada = Person.newPerson(tokens);
            UUID id = ada.submit("noop", Map.of());
            List<ConsumerRecord<String, String>> records = topic.await(r -> id.toString().equals(r.key()), 3, WITHIN);
            assertThat(records).allSatisfy(r -> {
                assertThat(header(r, "ce_type")).isEqualTo("jobs.job.status-changed");
                assertThat(header(r, "ce_source")).isEqualTo("job-worker");
                assertThat(header(r, "ce_subject")).isEqualTo(id.toString());
            });
            List<JsonNode> events = records.stream().map(r -> read(r.value())).toList();
            assertThat(events.stream().map(e -> e.path("status").asText())).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
            assertThat(events.stream().map(e -> e.path("previousStatus").asText(null))).containsExactly(null, "QUEUED", "RUNNING");
            assertThat(events.get(0).path("userId").asText()).isEqualTo(ada.id().toString());
            assertThat(events.get(2).path("attempts").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aPermanentFailureEndsFailedWithoutRetry() {
        Person ada = Person.newPerson(tokens);
        UUID id = ada.submit("test.permanent", Map.of());
        JsonPath failed = ada.awaitStatus(id, WITHIN, "FAILED");
        assertThat(failed.getInt("attempts")).isEqualTo(1);
        assertThat(failed.getString("lastError")).isEqualTo("this can never work");
        assertThat(failed.getList("errors")).hasSize(1);
        assertThat(failed.getString("errors[0].retryAt")).isNull();
        assertThat(failed.getString("finishedAt")).isNotNull();
    }

    @Test
    void transientFailuresAreRetriedWithBoundedBackoffUntilSuccess() {
        Person ada = Person.newPerson(tokens);
        UUID id = ada.submit("test.flaky", Map.of("failures", 2));
        JsonPath done = ada.awaitStatus(id, WITHIN, "SUCCEEDED");
        assertThat(done.getInt("attempts")).isEqualTo(3);
        assertThat(done.getInt("result.attempt")).isEqualTo(3);
        assertThat(done.getString("result.key")).isEqualTo(id.toString()); // the job id is the handler's idempotency key
        assertThat(done.getString("lastError")).isEqualTo("IOException: flaky failure 2");
        List<Map<String, Object>> errors = done.getList("errors");
        assertThat(errors).hasSize(2);
        Instant nextStart = Instant.parse(done.getString("startedAt"));
        for (int i = 0; i < 2; i++) {
            Map<String, Object> error = errors.get(i);
            assertThat(error.get("attempt")).isEqualTo(i + 1);
            Instant failedAt = Instant.parse((String) error.get("failedAt"));
            Instant retryAt = Instant.parse((String) error.get("retryAt"));
            Duration ceiling = BASE.multipliedBy(1L << i); // 300 ms after the first failure, 600 ms after the second
            assertThat(Duration.between(failedAt, retryAt)).isBetween(Duration.ZERO, ceiling);
            Instant startedNext = i == 0 ? Instant.parse((String) errors.get(1).get("startedAt")) : nextStart;
            assertThat(startedNext).isAfterOrEqualTo(retryAt); // never before its backoff ended
            assertThat(Duration.between(retryAt, startedNext)).isLessThan(PICKUP_SLACK);
        }
    }

    @Test
    void exhaustedJobsAreDeadWithADeadLetterAndRunAgainOnRetry() throws Exception {
        try (KafkaTopicReader deadLetters = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.JOBS_DEAD_LETTER)) {
            Person ada = Person.newPerson(tokens);
            UUID id = ada.submit(Map.of("type", "test.flaky", "payload", Map.of("failures", 2), "maxAttempts", 2))
                    .getString("id").transform(UUID::fromString);
            JsonPath dead = ada.awaitStatus(id, WITHIN, "DEAD");
            assertThat(dead.getInt("attempts")).isEqualTo(2);
            assertThat(dead.getString("nextRunAt")).isNull();

            ConsumerRecord<String, String> letter = deadLetters.await(r -> id.toString().equals(r.key()), WITHIN).get(0);
            assertThat(header(letter, "ce_type")).isEqualTo("jobs.job.dead-lettered");
            JsonNode body = read(letter.value());
            assertThat(body.path("type").asText()).isEqualTo("test.flaky");
            assertThat(body.path("attempts").asInt()).isEqualTo(2);
            assertThat(body.path("errors")).hasSize(2);
            assertThat(body.path("errors").get(1).path("error").asText()).isEqualTo("IOException: flaky failure 2");

            // The replay of a dead letter: fresh attempts; the third run succeeds.
            ada.request().post("/api/v1/jobs/" + id + "/retry").then().statusCode(202)
                    .body("status", org.hamcrest.Matchers.equalTo("QUEUED")).body("attempts", org.hamcrest.Matchers.equalTo(0));
            JsonPath replayed = ada.awaitStatus(id, WITHIN, "SUCCEEDED");
            assertThat(replayed.getInt("attempts")).isEqualTo(1);
            assertThat(replayed.getList("errors")).hasSize(2); // the history stays
            assertThat(flaky.runs(id)).isEqualTo(3);
        }
    }

    @Test
    void anAttemptOverItsTypesTimeoutIsInterruptedAndCountsAsFailed() {
        Person ada = Person.newPerson(tokens);
        UUID id = ada.submit(Map.of("type", "test.slow", "payload", Map.of("millis", 20_000), "maxAttempts", 1))
                .getString("id").transform(UUID::fromString);
        JsonPath dead = ada.awaitStatus(id, WITHIN, "DEAD");
        assertThat(dead.getString("lastError")).isEqualTo("timed out after 1000 ms");
        Duration ran = Duration.between(Instant.parse(dead.getString("startedAt")), Instant.parse(dead.getString("finishedAt")));
        assertThat(ran).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    @Test
    void aJobWhoseLeaseLapsedIsTakenAgain() throws Exception {
        Person ada = Person.newPerson(tokens);
        UUID id = UUID.randomUUID();
        Instant longAgo = Instant.now().minusSeconds(60);
        // As a worker killed mid-run leaves it: RUNNING, one attempt begun, its lease long lapsed.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO job (id, user_id, type, payload, status, run_at, attempts, max_attempts, lease_owner,
                                         lease_until, created_at, started_at, updated_at)
                        VALUES (?, ?, 'test.flaky', '{"failures":0}', 'RUNNING', ?, 1, 3, 'killed-worker', ?, ?, ?, ?)""")) {
            OffsetDateTime then = OffsetDateTime.ofInstant(longAgo, ZoneOffset.UTC);
            insert.setObject(1, id);
            insert.setObject(2, ada.id());
            insert.setObject(3, then);
            insert.setObject(4, then.plusSeconds(3));
            insert.setObject(5, then);
            insert.setObject(6, then);
            insert.setObject(7, then);
            insert.executeUpdate();
        }
        JsonPath done = ada.awaitStatus(id, WITHIN, "SUCCEEDED");
        assertThat(done.getInt("attempts")).isEqualTo(2);
        assertThat(done.getString("errors[0].error")).startsWith("lease lapsed: worker killed-worker");
        assertThat(flaky.runs(id)).isEqualTo(1);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
