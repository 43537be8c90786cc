package io.atelier.pipeline.intake;

import static io.atelier.pipeline.support.Senders.batch;
import static io.atelier.pipeline.support.Senders.userAction;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.atelier.pipeline.support.Senders.User;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventRecords;
import io.atelier.platform.testing.InjectPrivateKafka;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.PrivateKafka;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With a broker of its own (never the shared one): while it is away the intake answers 503 with Retry-After
 * within a few seconds and never 202, readiness is down; once it is back the same events are accepted.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "pipeline-ingest"))
@WithTestResource(TestTokenKeys.class)
@WithTestResource(PrivateKafka.class)
class BrokerOutageTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    TokenForge tokens;

    @InjectPrivateKafka
    PrivateKafka broker;

    private static String ready() {
        // The management interface's port as the test started it (quarkus.management.test-port=0: a free one).
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://127.0.0.1:" + port + "/q/health/ready";
    }

    @Test
    void whileTheBrokerIsAwayEventsAre503AndNeverAcceptedThenAcceptedOnceItIsBack() {
        User ada = User.newUser(tokens);
        // The first send also creates the topic on this fresh broker.
        await().atMost(WITHIN).until(() -> ada.request().body(userAction()).post("/api/v1/events").statusCode() == 202);
        // Readiness includes the Streams topology, which starts (and after the outage recovers) on its own time.
        await().atMost(WITHIN).untilAsserted(() -> given().get(ready()).then().statusCode(200));

        broker.kill();
        Map<String, Object> event = userAction();
        Map<String, Object> other = userAction();
        long start = System.nanoTime();
        ada.request().body(event).post("/api/v1/events").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", equalTo("5"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        ada.request().body(batch(List.of(event, other))).post("/api/v1/events/batch").then().statusCode(503)
                .header("Retry-After", equalTo("5"));
        // A large batch is bounded the same way: the producer's refusals end the request, not a max-block wait per event
        // (300: this user's test rate limit is 500 events in all).
        List<Map<String, Object>> full = Stream.generate(() -> userAction()).limit(300).toList();
        start = System.nanoTime();
        ada.request().body(batch(full)).post("/api/v1/events/batch").then().statusCode(503).header("Retry-After", equalTo("5"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        await().atMost(WITHIN).untilAsserted(() -> given().get(ready()).then().statusCode(503));

        broker.restart();
        // Nothing was remembered as seen while the broker was away: the retries are accepted, not duplicates.
        await().atMost(WITHIN).until(() -> ada.request().body(event).post("/api/v1/events").statusCode() == 202);
        ada.request().body(batch(List.of(event, other))).post("/api/v1/events/batch").then().statusCode(200)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(1));
        // Readiness includes the Streams topology, which starts (and after the outage recovers) on its own time,
        // and each Kafka client's check recovers when it next reaches the broker.
        await().atMost(WITHIN).untilAsserted(() -> given().get(ready()).then().statusCode(200));
        try (KafkaTopicReader raw = KafkaTopicReader.fromBeginning(broker.bootstrapServers(), Topics.EVENTS_RAW)) {
            raw.await(r -> event.get("event_id").equals(CloudEventRecords.header(r, "ce_id")), Duration.ofSeconds(30));
            raw.await(r -> other.get("event_id").equals(CloudEventRecords.header(r, "ce_id")), Duration.ofSeconds(30));
        }
    }
}
