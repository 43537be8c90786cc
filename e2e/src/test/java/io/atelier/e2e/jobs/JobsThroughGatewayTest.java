package io.atelier.e2e.jobs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.Accounts;
import io.atelier.e2e.Accounts.Account;
import io.atelier.e2e.RunningSuite;

/**
 * job-worker as a client sees it, through nginx, on the suite's durable PostgreSQL: a job submitted with a
 * real account runs to SUCCEEDED; an idempotent resubmit answers the same job; a scheduled job can be
 * cancelled and does not run; bad input and other users' jobs get problems.
 */
class JobsThroughGatewayTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @BeforeAll
    static void suiteIsUp() {
        RunningSuite.ensureUp();
    }

    @Test
    void aJobRunsToSucceededAndOnlyItsOwnerSeesIt() {
        Account ada = Accounts.signUp("Ada Jobs");
        Account eve = Accounts.signUp("Eve Jobs");
        String key = "e2e-" + Instant.now().toEpochMilli();
        var submitted = ada.request().header("Idempotency-Key", key).body(Map.of("type", "noop", "payload", Map.of()))
                .post("/api/v1/jobs").then().statusCode(202).extract();
        String id = submitted.jsonPath().getString("id");
        assertThat(submitted.header("Location")).endsWith("/api/v1/jobs/" + id);
        // the same key again: the first job, not a second one (through /run, the original API's path)
        ada.request().header("Idempotency-Key", key).body(Map.of("type", "noop", "payload", Map.of()))
                .post("/api/v1/jobs/run").then().statusCode(202).body("id", equalTo(id));
        await().atMost(WITHIN).untilAsserted(() -> ada.request().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("attempts", equalTo(1)).body("finishedAt", notNullValue()));
        eve.request().get("/api/v1/jobs/" + id).then().statusCode(404).contentType("application/problem+json");
        given().baseUri(RunningSuite.GATEWAY).get("/api/v1/jobs/" + id).then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aScheduledJobIsCancelledBeforeItRuns() {
        Account ada = Accounts.signUp("Ada Scheduler");
        String id = ada.request().body(Map.of("type", "noop", "payload", Map.of(), "runAt", Instant.now().plusSeconds(3600).toString()))
                .post("/api/v1/jobs").then().statusCode(202).body("status", equalTo("SCHEDULED"))
                .extract().jsonPath().getString("id");
        ada.request().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        ada.request().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void badInputIsAProblemNamingWhatIsWrong() {
        Account ada = Accounts.signUp("Ada Mistakes");
        ada.request().body(Map.of("type", "no.such.type", "payload", Map.of())).post("/api/v1/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("type"))
                .body("detail", containsString("not a known job type"));
        ada.request().body(Map.of("type", "webhook.deliver", "payload", Map.of("url", "ftp://example.com/x")))
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json");
        ada.request().body("{\"type\": \"noop\", \"payload\": {}, \"runAt\": \"tomorrow\"}").post("/api/v1/jobs").then()
                .statusCode(400).contentType("application/problem+json");
        ada.request().body("{not json").post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json");
    }
}
