package io.atelier.jobs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.atelier.jobs.support.Person;
import io.atelier.jobs.support.Workers;
import io.atelier.jobs.webhook.Receiver;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.FreeManagementPort;
import io.atelier.platform.testing.PackagedInstance;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

/**
 * The packaged application on the real servers: this test's instance serves the API only, a second one
 * from the same jar runs the jobs. That worker is killed with SIGKILL in the middle of a webhook delivery;
 * a third, started afterwards, takes the job back once its lease lapsed and delivers it again (at least
 * once: the receiver sees the same Idempotency-Key twice), and no job of the 1,000 submitted around the kill is
 * lost or left RUNNING.
 */
@QuarkusIntegrationTest
@WithTestResource(Workers.class)
@WithTestResource(FreeManagementPort.class)
class JobWorkerIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    TokenForge tokens;
    PackagedInstance worker;
    Workers.Settings settings;

    @Test
    void aJobOfAWorkerKilledMidRunIsRunAgainByAnotherAndNothingIsLost() throws Exception {
        Person ada = Person.newPerson(tokens);
        // Smoke through the packaged API: a job runs on the worker instance.
        UUID first = ada.submit("noop", Map.of());
        ada.awaitStatus(first, WITHIN, "SUCCEEDED");
        given().get("/api/v1/jobs").then().statusCode(401).contentType("application/problem+json");
        ada.request().body(Map.of("type", "nope", "payload", Map.of())).post("/api/v1/jobs").then().statusCode(400);
        given().get("/q/health/ready").then().statusCode(404); // management endpoints are not on the API port

        AtomicInteger calls = new AtomicInteger();
        byte[] secret = Workers.SECRET.getBytes(StandardCharsets.UTF_8);
        // The first delivery hangs (the worker dies meanwhile); the next is answered at once.
        try (Receiver receiver = new Receiver(secret, () -> 200, () -> calls.incrementAndGet() == 1 ? 300_000 : 0);
                PackagedInstance survivor = killAndReplace(ada, receiver)) {
            assertThat(survivor.port()).isPositive();
        }
    }

    private PackagedInstance killAndReplace(Person ada, Receiver receiver) {
        UUID webhook = ada.submit("webhook.deliver", Map.of("url", receiver.url("/deliveries"), "body", Map.of("n", 1)));
        await().atMost(WITHIN).until(() -> !receiver.deliveries("/deliveries").isEmpty());
        // A batch around the kill: some done, some running, some waiting when the worker dies.
        List<UUID> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(ada.submit("noop", Map.of("i", i)));
        }
        assertThat(ada.job(webhook).getString("status")).isEqualTo("RUNNING");
        assertThat(receiver.deliveries("/deliveries")).hasSize(1); // still hanging
        worker.kill();

        PackagedInstance survivor = PackagedInstance.start("job-worker-survivor", settings.worker());
        JsonPath done = ada.awaitStatus(webhook, WITHIN, "SUCCEEDED");
        assertThat(done.getInt("attempts")).isEqualTo(2);
        assertThat(done.getString("errors[0].error")).startsWith("lease lapsed");
        List<Receiver.Delivery> deliveries = receiver.deliveries("/deliveries");
        assertThat(deliveries).hasSize(2);
        assertThat(deliveries).allSatisfy(d -> {
            assertThat(d.signatureValid()).isTrue();
            assertThat(d.header("Idempotency-Key")).isEqualTo(webhook.toString());
        });
        for (UUID id : batch) {
            ada.awaitStatus(id, WITHIN, "SUCCEEDED");
        }
        await().atMost(WITHIN).until(() -> ada.request().queryParam("status", "RUNNING").get("/api/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("items").isEmpty());
        return survivor;
    }
}
