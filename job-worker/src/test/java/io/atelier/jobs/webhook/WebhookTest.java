package io.atelier.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.jobs.support.Person;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** webhook.deliver against a receiver on 127.0.0.1, which the test profile's allow-list admits. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "job-worker"))
@WithTestResource(TestTokenKeys.class)
class WebhookTest {

    private static final byte[] SECRET = "test-only-webhook-secret".getBytes(StandardCharsets.UTF_8);
    private static final Duration WITHIN = Duration.ofSeconds(30);

    TokenForge tokens;

    @Test
    void aDeliveryIsSignedSoTheReceiverCanVerifyIt() throws Exception {
        try (Receiver receiver = new Receiver(SECRET, () -> 204, 0)) {
            Person ada = Person.newPerson(tokens);
            Map<String, Object> body = Map.of("event", "build.finished", "ok", true, "text", "héllo");
            UUID id = ada.submit("webhook.deliver", Map.of("url", receiver.url("/hook"), "body", body));
            JsonPath done = ada.awaitStatus(id, WITHIN, "SUCCEEDED");
            assertThat(done.getInt("result.status")).isEqualTo(204);
            List<Receiver.Delivery> deliveries = receiver.deliveries("/hook");
            assertThat(deliveries).hasSize(1);
            Receiver.Delivery delivery = deliveries.get(0);
            assertThat(delivery.signatureValid()).isTrue();
            assertThat(delivery.header("Idempotency-Key")).isEqualTo(id.toString());
            assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
            assertThat(new ObjectMapper().readTree(delivery.body())).isEqualTo(new ObjectMapper().valueToTree(body));
            // A receiver with another secret, or a changed body, would not verify.
            long timestamp = Long.parseLong(delivery.header(Signature.TIMESTAMP_HEADER));
            String signature = delivery.header(Signature.SIGNATURE_HEADER);
            assertThat(Signature.verify("other".getBytes(StandardCharsets.UTF_8), timestamp,
                    delivery.body().getBytes(StandardCharsets.UTF_8), signature)).isFalse();
            assertThat(Signature.verify(SECRET, timestamp + 1, delivery.body().getBytes(StandardCharsets.UTF_8), signature))
                    .isFalse();
        }
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetriedOtherClientErrorsAreNot() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Receiver flaky = new Receiver(SECRET, () -> calls.incrementAndGet() == 1 ? 503 : calls.get() == 2 ? 429 : 200, 0);
                Receiver refusing = new Receiver(SECRET, () -> 404, 0)) {
            Person ada = Person.newPerson(tokens);
            UUID retried = ada.submit("webhook.deliver", Map.of("url", flaky.url("/h"), "body", Map.of()));
            JsonPath done = ada.awaitStatus(retried, WITHIN, "SUCCEEDED");
            assertThat(done.getInt("attempts")).isEqualTo(3);
            assertThat(done.getString("errors[0].error")).isEqualTo("IOException: the receiver answered 503");
            assertThat(flaky.deliveries("/h")).extracting(d -> d.header("Idempotency-Key")).containsOnly(retried.toString());

            UUID refused = ada.submit("webhook.deliver", Map.of("url", refusing.url("/h"), "body", Map.of()));
            JsonPath failed = ada.awaitStatus(refused, WITHIN, "FAILED");
            assertThat(failed.getInt("attempts")).isEqualTo(1);
            assertThat(failed.getString("lastError")).isEqualTo("the receiver answered 404");
        }
    }

    @Test
    void aReceiverSlowerThanTheReadTimeoutIsATransientFailure() throws Exception {
        try (Receiver slow = new Receiver(SECRET, () -> 200, 4_000)) {
            Person ada = Person.newPerson(tokens);
            UUID id = ada.submit(Map.of("type", "webhook.deliver", "payload", Map.of("url", slow.url("/s"), "body", 1),
                    "maxAttempts", 1)).getString("id").transform(UUID::fromString);
            JsonPath dead = ada.awaitStatus(id, WITHIN, "DEAD");
            assertThat(dead.getString("lastError")).startsWith("IOException: the receiver did not answer within 2000 ms");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://10.0.0.1/hook",
            "http://172.16.5.4/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.2:8080/",
            "http://0.0.0.0/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[::ffff:10.0.0.1]/",
            "http://100.64.0.1/",
            "http://2130706434/", // 127.0.0.2 as one number (127.0.0.1 is allowed in tests)
            "ftp://example.com/file",
            "file:///etc/passwd",
            "http://user:pass@example.com/",
            "not a url" })
    void privateLoopbackLinkLocalAndNonHttpTargetsAreRefusedAtSubmit(String url) {
        Person.newPerson(tokens).request()
                .body(Map.of("type", "webhook.deliver", "payload", Map.of("url", url, "body", Map.of())))
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("payload.url"));
    }
}
