package io.atelier.content;

import static io.atelier.platform.testing.CloudEventRecords.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.content.support.Member;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** content.events: one CloudEvent per change, keyed by the aggregate, through the outbox. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "content-service"))
@WithTestResource(TestTokenKeys.class)
class EventsTest {

    TokenForge tokens;

    @Test
    void everyChangeEmitsOneEventKeyedByItsAggregate() throws Exception {
        Member ada = Member.newMember(tokens);
        try (KafkaTopicReader topic = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.CONTENT_EVENTS)) {
            UUID post = ada.postId("Evented");
            ada.request().body(Map.of("title", "Evented again", "body", "b")).put("/api/v1/posts/" + post).then().statusCode(200);
            UUID collection = ada.collectionId("Evented collection");
            ada.request().body(Map.of("name", "Renamed")).put("/api/v1/collections/" + collection).then().statusCode(200);
            ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + collection + "/posts").then().statusCode(201);
            ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + collection + "/posts").then().statusCode(200);
            ada.request().delete("/api/v1/collections/" + collection + "/posts/" + post).then().statusCode(204);
            ada.request().delete("/api/v1/collections/" + collection).then().statusCode(204);
            ada.request().delete("/api/v1/posts/" + post).then().statusCode(204);
            // Refused changes record nothing.
            Member.newMember(tokens).request().delete("/api/v1/posts/" + UUID.randomUUID()).then().statusCode(404);

            Set<String> keys = Set.of(post.toString(), collection.toString());
            List<ConsumerRecord<String, String>> records = topic.await(r -> keys.contains(r.key()), 8, Duration.ofSeconds(30));
            assertThat(records).hasSize(8);
            List<String> postTypes = records.stream().filter(r -> r.key().equals(post.toString()))
                    .map(r -> header(r, "ce_type")).toList();
            List<String> collectionTypes = records.stream().filter(r -> r.key().equals(collection.toString()))
                    .map(r -> header(r, "ce_type")).toList();
            assertThat(postTypes).containsExactly("content.post.created", "content.post.updated", "content.post.deleted");
            assertThat(collectionTypes).containsExactly("content.collection.created", "content.collection.updated",
                    "content.collection.post-added", "content.collection.post-removed", "content.collection.deleted");
            for (ConsumerRecord<String, String> record : records) {
                assertThat(header(record, "ce_source")).isEqualTo("content-service");
                assertThat(header(record, "ce_subject")).isEqualTo(record.key());
                assertThat(header(record, "ce_id")).isNotBlank();
            }
            JsonNode added = new ObjectMapper().readTree(records.stream()
                    .filter(r -> "content.collection.post-added".equals(header(r, "ce_type"))).findFirst().orElseThrow().value());
            assertThat(added.path("ownerId").asText()).isEqualTo(ada.id().toString());
            assertThat(added.path("postId").asText()).isEqualTo(post.toString());
            assertThat(added.has("audience")).isFalse();
        }
    }
}
