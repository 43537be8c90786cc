package io.atelier.pipeline;

import static io.atelier.pipeline.support.Senders.userAction;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.atelier.pipeline.support.Senders.User;
import io.atelier.pipeline.support.TemporaryLake;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventRecords;
import io.atelier.platform.testing.FreeManagementPort;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/** The packaged application (the production fast-jar) on the real servers: the smoke of the intake. */
@QuarkusIntegrationTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "pipeline-ingest"))
@WithTestResource(TestTokenKeys.class)
@WithTestResource(FreeManagementPort.class)
@WithTestResource(TemporaryLake.class)
class PipelineIngestIT {

    TokenForge tokens;

    @Test
    void smoke() {
        User ada = User.newUser(tokens);
        Map<String, Object> event = userAction();
        try (KafkaTopicReader raw = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.EVENTS_RAW)) {
            ada.request().body(event).post("/api/v1/events").then().statusCode(202).body("duplicate", equalTo(false));
            ConsumerRecord<String, String> record = raw.await(r -> event.get("event_id")
                    .equals(CloudEventRecords.header(r, "ce_id")), Duration.ofSeconds(30)).get(0);
            assertThat(record.key()).isEqualTo(ada.id().toString());
        }
        ada.request().body(event).post("/api/v1/events").then().statusCode(202).body("duplicate", equalTo(true));
        given().contentType(ContentType.JSON).body(userAction()).post("/api/v1/events").then().statusCode(401)
                .contentType("application/problem+json");
        Map<String, Object> bad = userAction();
        bad.put("event_type", "teleport");
        ada.request().body(bad).post("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("event_type"));
        given().get("/q/health/ready").then().statusCode(404); // management endpoints are not on the API port
    }
}
