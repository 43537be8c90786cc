package io.atelier.e2e.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.e2e.Accounts;
import io.atelier.e2e.Accounts.Account;
import io.atelier.e2e.RunningSuite;
import io.atelier.platform.events.Topics;
import io.atelier.platform.testing.CloudEventRecords;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.restassured.http.ContentType;

/**
 * pipeline-ingest through nginx with a real account: an event posted through the gateway comes out on events.enriched,
 * once, with the user's display name from auth-service's own user event; bad input is a problem.
 */
class IngestThroughGatewayTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void suiteIsUp() {
        RunningSuite.ensureUp();
    }

    private static Map<String, Object> event(String eventId) {
        return Map.of("event_id", eventId, "event_type", "user_action", "timestamp", Instant.now().toString(),
                "data", Map.of("action", "click", "page", "/home"), "metadata", Map.of("source", "web", "version", "1.0"));
    }

    @Test
    void anEventPostedThroughTheGatewayIsEnrichedWithTheSendersProfile() throws Exception {
        try (KafkaTopicReader enriched = KafkaTopicReader.committed(LocalSuite.find().kafkaBootstrap(),
                Topics.EVENTS_ENRICHED, false)) {
            Account ada = Accounts.signUp("Ada Ingest");
            // auth-service's auth.user.created reaches the profile cache asynchronously: the first events of a new
            // account may go out without a profile, so send until one carries it.
            String eventId = null;
            JsonNode value = null;
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (value == null || value.at("/enrichment/user").isNull()) {
                assertThat(System.nanoTime()).as("an enriched event with the profile within %s", WITHIN).isLessThan(deadline);
                String id = UUID.randomUUID().toString();
                ada.request().body(event(id)).post("/api/v1/events").then().statusCode(202).body("eventId", equalTo(id))
                        .body("duplicate", equalTo(false));
                ConsumerRecord<String, String> record = enriched
                        .await(r -> id.equals(CloudEventRecords.header(r, "ce_id")), WITHIN).get(0);
                eventId = id;
                value = JSON.readTree(record.value());
                assertThat(record.key()).isEqualTo(ada.id().toString());
                assertThat(CloudEventRecords.header(record, "ce_type")).isEqualTo("pipeline.event.enriched");
            }
            assertThat(value.get("user_id").asText()).isEqualTo(ada.id().toString());
            assertThat(value.at("/enrichment/user/display_name").asText()).isEqualTo("Ada Ingest");
            assertThat(value.at("/enrichment/sender").asText()).isEqualTo("user:" + ada.id());
            assertThat(value.at("/enrichment/source").asText()).isEqualTo("web");

            // A retry of the same event is a duplicate at the intake, and nothing more reaches events.enriched.
            ada.request().body(event(eventId)).post("/api/v1/events").then().statusCode(202).body("duplicate", equalTo(true));
            String marker = UUID.randomUUID().toString();
            ada.request().body(event(marker)).post("/api/v1/events").then().statusCode(202);
            enriched.await(r -> marker.equals(CloudEventRecords.header(r, "ce_id")), WITHIN);
            String once = eventId;
            assertThat(enriched.records().stream().filter(r -> once.equals(CloudEventRecords.header(r, "ce_id"))))
                    .hasSize(1);
        }
    }

    @Test
    void badEventsAreProblemsNamingTheField() {
        Account ada = Accounts.signUp("Ada Bad Events");
        Map<String, Object> bad = new java.util.HashMap<>(event(UUID.randomUUID().toString()));
        bad.put("event_type", "no_such_type");
        ada.request().body(bad).post("/api/v1/events").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("event_type"));
        given().baseUri(RunningSuite.GATEWAY).contentType(ContentType.JSON).body(event(UUID.randomUUID().toString()))
                .post("/api/v1/events").then().statusCode(401).contentType("application/problem+json");
    }
}
