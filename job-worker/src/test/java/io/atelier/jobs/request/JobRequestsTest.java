package io.atelier.jobs.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.jobs.support.Person;
import io.atelier.platform.events.Topics;
import io.atelier.platform.events.jobs.JobRequested;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.testing.RealServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Jobs requested on {@code jobs.requests}, written by a plain Kafka producer as another service's outbox
 * relay would. Each test's requests are for a fresh user and keyed by them, so they land on one partition
 * in order: a request sent after the ones under test is processed after them, which is how the tests know
 * those were handled without waiting for a time.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "job-worker"))
@WithTestResource(TestTokenKeys.class)
class JobRequestsTest {

    /** The consumer takes a few seconds to get its partitions after the start. */
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String SOURCE = "workspace-service";

    private static CloudEventWriter kafka;

    TokenForge tokens;

    @Inject
    MeterRegistry metrics;

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    @BeforeAll
    static void connect() {
        kafka = CloudEventWriter.local();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aRequestedJobIsStoredForItsUserAndRuns() {
        Person ada = Person.newPerson(tokens);
        UUID project = UUID.randomUUID();
        request(ada, Map.of("type", "noop", "payload", Map.of("from", "kafka"), "priority", 7, "maxAttempts", 2,
                "projectId", project.toString()));
        JsonPath job = awaitOnlyJob(ada);
        assertThat(job.getString("type")).isEqualTo("noop");
        assertThat(job.getInt("priority")).isEqualTo(7);
        assertThat(job.getInt("maxAttempts")).isEqualTo(2);
        assertThat(job.getString("projectId")).isEqualTo(project.toString());
        JsonPath done = ada.awaitStatus(UUID.fromString(job.getString("id")), WITHIN, "SUCCEEDED");
        assertThat(done.getInt("attempts")).isEqualTo(1);
    }

    @Test
    void aRequestForLaterWaitsScheduled() {
        Person ada = Person.newPerson(tokens);
        Instant later = Instant.now().plus(Duration.ofHours(2));
        request(ada, Map.of("type", "noop", "payload", Map.of(), "runAt", later.toString()));
        JsonPath job = awaitOnlyJob(ada);
        assertThat(job.getString("status")).isEqualTo("SCHEDULED");
        assertThat(Instant.parse(job.getString("nextRunAt"))).isCloseTo(later, org.assertj.core.api.Assertions.within(
                Duration.ofMillis(1)));
    }

    @Test
    void aRedeliveredRequestMakesNoSecondJob() {
        Person ada = Person.newPerson(tokens);
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = CloudEventWriter.record(Topics.JOBS_REQUESTS, id, JobRequested.TYPE,
                SOURCE, ada.id().toString(), body(ada, Map.of("type", "noop", "payload", Map.of("n", 1))));
        kafka.send(record);
        kafka.send(record);
        kafka.send(record);
        // A later request of the same user: once it is a job, the three deliveries before it were handled.
        request(ada, Map.of("type", "noop", "payload", Map.of("n", 2)));
        await().atMost(WITHIN).until(() -> jobs(ada).size() >= 2);
        List<Map<String, Object>> jobs = jobs(ada);
        assertThat(jobs).hasSize(2);
    }

    @Test
    void requestsTheApiWouldRefuseAreCountedSkippedAndTheNextOneRuns() {
        Person ada = Person.newPerson(tokens);
        double invalid = rejected("invalid");
        double tooLarge = rejected("too-large");
        double unreadable = rejected("unreadable");
        double notCloudEvent = rejected("not-a-cloud-event");
        double otherType = rejected("unknown-event-type");

        request(ada, Map.of("type", "no.such.type", "payload", Map.of()));              // unknown type
        Map<String, Object> wide = new HashMap<>();
        for (int i = 0; i < 21; i++) {
            wide.put("f" + i, i);
        }
        request(ada, Map.of("type", "noop", "payload", wide));                          // refused by noop's schema
        request(ada, Map.of("type", "noop", "payload", Map.of("n", "\u0000")));         // the text rule
        request(ada, Map.of("type", "noop", "payload", Map.of(), "maxAttempts", 99));   // over the limit
        request(ada, Map.of("type", "noop", "payload", Map.of(), "priority", 500));     // Bean Validation
        request(ada, Map.of("type", "noop"));                                           // no payload
        request(ada, Map.of("type", "noop", "payload", Map.of("big", "x".repeat(70_000)))); // over 64 KiB
        kafka.send(CloudEventWriter.record(Topics.JOBS_REQUESTS, UUID.randomUUID().toString(), JobRequested.TYPE,
                SOURCE, ada.id().toString(), "{not json"));
        kafka.send(CloudEventWriter.record(Topics.JOBS_REQUESTS, UUID.randomUUID().toString(), JobRequested.TYPE,
                SOURCE, ada.id().toString(), "{\"type\":\"noop\",\"payload\":{}}"));    // no userId
        kafka.send(CloudEventWriter.record(Topics.JOBS_REQUESTS, UUID.randomUUID().toString(), "jobs.job.wished",
                SOURCE, ada.id().toString(), body(ada, Map.of("type", "noop", "payload", Map.of()))));
        kafka.send(new ProducerRecord<>(Topics.JOBS_REQUESTS, ada.id().toString(),
                body(ada, Map.of("type", "noop", "payload", Map.of()))));               // no ce_* headers

        request(ada, Map.of("type", "noop", "payload", Map.of("after", "the refused ones")));
        JsonPath job = awaitOnlyJob(ada);
        ada.awaitStatus(UUID.fromString(job.getString("id")), WITHIN, "SUCCEEDED");
        assertThat(jobs(ada)).hasSize(1);
        assertThat(rejected("invalid") - invalid).isEqualTo(6);
        assertThat(rejected("too-large") - tooLarge).isEqualTo(1);
        assertThat(rejected("unreadable") - unreadable).isEqualTo(2);
        assertThat(rejected("unknown-event-type") - otherType).isEqualTo(1);
        assertThat(rejected("not-a-cloud-event") - notCloudEvent).isEqualTo(1);
    }

    private String request(Person person, Map<String, Object> fields) {
        return kafka.publish(Topics.JOBS_REQUESTS, JobRequested.TYPE, SOURCE, person.id().toString(), body(person, fields));
    }

    private String body(Person person, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("userId", person.id().toString());
        try {
            return json.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Map<String, Object>> jobs(Person person) {
        return person.request().queryParam("limit", 100).get("/api/v1/jobs").then().statusCode(200).extract()
                .jsonPath().getList("items");
    }

    private JsonPath awaitOnlyJob(Person person) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> !jobs(person).isEmpty());
        List<Map<String, Object>> jobs = jobs(person);
        assertThat(jobs).hasSize(1);
        return person.job(UUID.fromString((String) jobs.getFirst().get("id")));
    }

    private double rejected(String reason) {
        return metrics.counter("atelier.jobs.requests.rejected", "reason", reason).count();
    }
}
