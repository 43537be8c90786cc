package io.atelier.jobs.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.jobs.support.Person;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The jobs API on the real servers, with this instance's worker running the jobs. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "job-worker"))
@WithTestResource(TestTokenKeys.class)
class JobsApiTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    TokenForge tokens;

    @Test
    void aSubmittedJobRunsToSucceeded() {
        Person ada = Person.newPerson(tokens);
        var answer = ada.request().body(Map.of("type", "noop", "payload", Map.of("hello", "world")))
                .post("/api/v1/jobs").then().statusCode(202)
                .body("type", equalTo("noop"))
                .body("attempts", equalTo(0))
                .body("maxAttempts", equalTo(3))
                .extract();
        String id = answer.jsonPath().getString("id");
        assertThat(answer.jsonPath().getString("status")).isIn("QUEUED", "RUNNING", "SUCCEEDED");
        assertThat(answer.header("Location")).endsWith("/api/v1/jobs/" + id);
        var done = ada.awaitStatus(UUID.fromString(id), WITHIN, "SUCCEEDED");
        assertThat(done.getInt("attempts")).isEqualTo(1);
        assertThat(done.getString("startedAt")).isNotNull();
        assertThat(Instant.parse(done.getString("finishedAt"))).isAfterOrEqualTo(Instant.parse(done.getString("startedAt")));
        assertThat(done.getString("nextRunAt")).isNull();
        assertThat(done.getString("lastError")).isNull();
    }

    @Test
    void runIsTheSameCall() {
        Person ada = Person.newPerson(tokens);
        String id = ada.request().body(Map.of("type", "noop", "payload", Map.of(), "priority", 5))
                .post("/api/v1/jobs/run").then().statusCode(202).extract().jsonPath().getString("id");
        ada.awaitStatus(UUID.fromString(id), WITHIN, "SUCCEEDED");
    }

    @Test
    void theSameIdempotencyKeyUnderTwentyConcurrentSubmitsMakesOneJob() throws Exception {
        Person ada = Person.newPerson(tokens);
        String key = UUID.randomUUID().toString();
        Map<String, Object> job = Map.of("type", "noop", "payload", Map.of("n", 1));
        List<Callable<String>> submits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            submits.add(() -> ada.request().header("Idempotency-Key", key).body(job).post("/api/v1/jobs")
                    .then().statusCode(202).extract().jsonPath().getString("id"));
        }
        Set<String> ids = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<String> id : pool.invokeAll(submits)) {
                ids.add(id.get());
            }
        }
        assertThat(ids).hasSize(1);
        assertThat(ada.request().get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items.id"))
                .containsExactlyElementsOf(ids);
        // The same key with another job is refused; without a key, another job is made.
        ada.request().header("Idempotency-Key", key).body(Map.of("type", "noop", "payload", Map.of("n", 2)))
                .post("/api/v1/jobs").then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void aDelayedJobDoesNotStartEarly() {
        Person ada = Person.newPerson(tokens);
        Instant runAt = Instant.now().plusSeconds(4);
        UUID id = UUID.fromString(ada.submit(Map.of("type", "noop", "payload", Map.of(), "runAt", runAt.toString()))
                .getString("id"));
        var scheduled = ada.job(id);
        if (Instant.now().isBefore(runAt)) { // unless this loaded machine took that long to answer
            assertThat(scheduled.getString("status")).isEqualTo("SCHEDULED");
            assertThat(Instant.parse(scheduled.getString("nextRunAt")))
                    .isEqualTo(runAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        }
        var done = ada.awaitStatus(id, WITHIN, "SUCCEEDED");
        assertThat(Instant.parse(done.getString("startedAt"))).isAfterOrEqualTo(runAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void aWaitingJobCanBeCancelledARunningOrFinishedOneCannot() {
        Person ada = Person.newPerson(tokens);
        UUID later = UUID.fromString(ada.submit(Map.of("type", "noop", "payload", Map.of(),
                "runAt", Instant.now().plusSeconds(3600).toString())).getString("id"));
        ada.request().post("/api/v1/jobs/" + later + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"))
                .body("nextRunAt", nullValue());
        ada.request().post("/api/v1/jobs/" + later + "/cancel").then().statusCode(409)
                .body("type", equalTo("tag:atelier.dev,2026:problem:job-not-cancellable"));

        UUID slow = ada.submit("test.slow", Map.of("millis", 800));
        ada.awaitStatus(slow, WITHIN, "RUNNING");
        ada.request().post("/api/v1/jobs/" + slow + "/cancel").then().statusCode(409)
                .contentType("application/problem+json");
        ada.awaitStatus(slow, WITHIN, "SUCCEEDED");
        ada.request().post("/api/v1/jobs/" + slow + "/cancel").then().statusCode(409);
        ada.request().post("/api/v1/jobs/" + slow + "/retry").then().statusCode(409)
                .body("type", equalTo("tag:atelier.dev,2026:problem:job-not-retryable"));
    }

    @Test
    void otherUsersJobsAre404() {
        Person ada = Person.newPerson(tokens);
        Person eve = Person.newPerson(tokens);
        UUID id = ada.submit("noop", Map.of());
        eve.request().get("/api/v1/jobs/" + id).then().statusCode(404).contentType("application/problem+json");
        eve.request().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(404);
        eve.request().post("/api/v1/jobs/" + id + "/retry").then().statusCode(404);
        eve.request().get("/api/v1/jobs").then().statusCode(200).body("items.size()", equalTo(0));
        ada.request().get("/api/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
        ada.request().get("/api/v1/jobs/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void everyEndpointNeedsAValidToken() {
        given().get("/api/v1/jobs").then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("type", "noop", "payload", Map.of()))
                .post("/api/v1/jobs").then().statusCode(401);
        given().header("Authorization", "Bearer garbage").get("/api/v1/jobs/" + UUID.randomUUID()).then().statusCode(401);
    }

    @Test
    void listsPageThroughTheCallersJobsByStatusAndType() {
        Person ada = Person.newPerson(tokens);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, ada.submit(Map.of("type", "noop", "payload", Map.of(),
                    "runAt", Instant.now().plusSeconds(3600).toString())).getString("id"));
        }
        UUID other = ada.submit("test.flaky", Map.of("failures", 0));
        ada.awaitStatus(other, WITHIN, "SUCCEEDED");
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            var request = ada.request().queryParam("limit", "2").queryParam("status", "SCHEDULED").queryParam("type", "noop");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/v1/jobs").then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(walked).containsExactlyElementsOf(created);
        ada.request().queryParam("status", "SUCCEEDED").get("/api/v1/jobs").then().statusCode(200)
                .body("items.id", equalTo(List.of(other.toString())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status=DONE", "status=queued", "limit=0", "limit=101", "cursor=nope"})
    void badListParametersAre400NamingThem(String query) {
        Person.newPerson(tokens).request().get("/api/v1/jobs?" + query).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(query.substring(0, query.indexOf('='))));
    }

    @Test
    void badJobsAre4xxProblemsNamingTheField() {
        Person ada = Person.newPerson(tokens);
        expect400(ada, Map.of("type", "no.such.type", "payload", Map.of()), "type");
        expect400(ada, Map.of("type", "noop"), "payload");
        expect400(ada, Map.of("payload", Map.of()), "type");
        expect400(ada, Map.of("type", "test.flaky", "payload", Map.of()), "payload.failures");
        expect400(ada, Map.of("type", "test.flaky", "payload", Map.of("failures", "two")), "payload.failures");
        expect400(ada, Map.of("type", "test.flaky", "payload", Map.of("failures", 1, "extra", true)), "payload.extra");
        expect400(ada, Map.of("type", "noop", "payload", Map.of("text", "nul\u0000")), "payload.text");
        expect400(ada, Map.of("type", "noop", "payload", Map.of(), "runAt", Instant.now().plus(Duration.ofDays(400)).toString()), "runAt");
        expect400(ada, Map.of("type", "noop", "payload", Map.of(), "maxAttempts", 0), "maxAttempts");
        expect400(ada, Map.of("type", "noop", "payload", Map.of(), "maxAttempts", 26), "maxAttempts");
        expect400(ada, Map.of("type", "noop", "payload", Map.of(), "priority", 101), "priority");
        // Not a time at all: the body does not read.
        ada.request().body(Map.of("type", "noop", "payload", Map.of(), "runAt", "tomorrow")).post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json");
        ada.request().body("{\"type\":\"noop\",\"payload\":{},\"owner\":\"me\"}").post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json");
        // A payload over 64 KiB (inside a body the service still reads).
        Map<String, Object> big = new HashMap<>();
        big.put("blob", "x".repeat(70_000));
        ada.request().body(Map.of("type", "noop", "payload", big)).post("/api/v1/jobs")
                .then().statusCode(413).contentType("application/problem+json");
        // A body over the service's limit (1 MiB, for batches) is refused before it is read.
        big.put("blob", "x".repeat(1_100_000));
        ada.request().body(Map.of("type", "noop", "payload", big)).post("/api/v1/jobs").then().statusCode(413);
        assertThat(ada.request().get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items"))
                .isEmpty();
    }

    @Test
    void aBatchIsStoredWholeInOrderAndRuns() {
        Person ada = Person.newPerson(tokens);
        List<Map<String, Object>> jobs = List.of(Map.of("type", "noop", "payload", Map.of("n", 1)),
                Map.of("type", "noop", "payload", Map.of("n", 2), "priority", 5),
                Map.of("type", "noop", "payload", Map.of("n", 3), "runAt", Instant.now().plusSeconds(3600).toString()));
        var answer = ada.request().body(Map.of("jobs", jobs)).post("/api/v1/jobs/batch").then().statusCode(202)
                .body("items.size()", equalTo(3)).body("items[1].priority", equalTo(5))
                .body("items[2].status", equalTo("SCHEDULED")).extract().jsonPath();
        ada.awaitStatus(UUID.fromString(answer.getString("items[0].id")), WITHIN, "SUCCEEDED");
        ada.awaitStatus(UUID.fromString(answer.getString("items[1].id")), WITHIN, "SUCCEEDED");
        assertThat(ada.job(UUID.fromString(answer.getString("items[2].id"))).getString("status")).isEqualTo("SCHEDULED");
    }

    @Test
    void aBatchWithOneBadJobStoresNoneAndNamesIt() {
        Person ada = Person.newPerson(tokens);
        List<Map<String, Object>> jobs = List.of(Map.of("type", "noop", "payload", Map.of()),
                Map.of("type", "no.such.type", "payload", Map.of()),
                Map.of("type", "noop", "payload", Map.of(), "maxAttempts", 99));
        ada.request().body(Map.of("jobs", jobs)).post("/api/v1/jobs/batch").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("jobs[1].type")).body("errors.field", hasItem("jobs[2].maxAttempts"));
        Map<String, Object> big = new HashMap<>();
        big.put("blob", "x".repeat(70_000));
        ada.request().body(Map.of("jobs", List.of(Map.of("type", "noop", "payload", Map.of()),
                Map.of("type", "noop", "payload", big)))).post("/api/v1/jobs/batch").then().statusCode(413)
                .contentType("application/problem+json").body("errors[0].field", equalTo("jobs[1].payload"));
        ada.request().body(Map.of("jobs", List.of())).post("/api/v1/jobs/batch").then().statusCode(400)
                .contentType("application/problem+json");
        List<Map<String, Object>> tooMany = java.util.Collections.nCopies(501, Map.of("type", "noop", "payload", Map.of()));
        ada.request().body(Map.of("jobs", tooMany)).post("/api/v1/jobs/batch").then().statusCode(400)
                .contentType("application/problem+json");
        ada.request().body("{\"jobs\": \"all of them\"}").post("/api/v1/jobs/batch").then().statusCode(400)
                .contentType("application/problem+json");
        assertThat(ada.request().get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items"))
                .isEmpty();
    }

    private static void expect400(Person who, Map<String, ?> job, String field) {
        who.request().body(job).post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }
}
