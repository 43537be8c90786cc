package io.atelier.workspace;

import static io.atelier.platform.testing.CloudEventRecords.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.users.UserDirectory;
import io.atelier.workspace.support.KnownUsers;
import io.atelier.workspace.support.Person;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** workspace.events: one CloudEvent per change, keyed by the project, through the outbox. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
class EventsTest {

    TokenForge tokens;

    @Inject
    UserDirectory directory;

    @Test
    void everyChangeEmitsOneEventKeyedByItsProject() throws Exception {
        try (KnownUsers users = new KnownUsers(tokens, directory);
                KafkaTopicReader topic = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.WORKSPACE_EVENTS)) {
            Person ada = users.create("Ada");
            Person bob = users.create("Bob");
            UUID project = ada.projectId("Evented");
            ada.request().body(Map.of("name", "Evented again")).put("/api/v1/projects/" + project).then().statusCode(200);
            ada.invite(project, bob, "VIEWER");
            ada.request().body(Map.of("role", "COLLABORATOR")).patch(Person.collaborators(project) + "/" + bob.id())
                    .then().statusCode(200);
            ada.request().body(Map.of("role", "COLLABORATOR")).patch(Person.collaborators(project) + "/" + bob.id())
                    .then().statusCode(200); // no change, no event
            ada.request().delete(Person.collaborators(project) + "/" + bob.id()).then().statusCode(204);
            // Refused changes record nothing.
            bob.request().body(Map.of("name", "Hijacked")).put("/api/v1/projects/" + project).then().statusCode(404);
            ada.request().delete(Person.collaborators(project) + "/" + ada.id()).then().statusCode(409);
            ada.request().delete("/api/v1/projects/" + project).then().statusCode(204);

            List<ConsumerRecord<String, String>> records = topic.await(r -> project.toString().equals(r.key()), 6,
                    Duration.ofSeconds(30));
            assertThat(records.stream().map(r -> header(r, "ce_type"))).containsExactly(
                    "workspace.project.created", "workspace.project.updated", "workspace.member.added",
                    "workspace.member.role-changed", "workspace.member.removed", "workspace.project.deleted");
            for (ConsumerRecord<String, String> record : records) {
                assertThat(header(record, "ce_source")).isEqualTo("workspace-service");
                assertThat(header(record, "ce_subject")).isEqualTo(project.toString());
                assertThat(header(record, "ce_id")).isNotBlank();
            }
            ObjectMapper json = new ObjectMapper();
            JsonNode created = json.readTree(records.get(0).value());
            assertThat(created.path("ownerId").asText()).isEqualTo(ada.id().toString());
            assertThat(created.path("name").asText()).isEqualTo("Evented");
            JsonNode added = json.readTree(records.get(2).value());
            assertThat(added.path("userId").asText()).isEqualTo(bob.id().toString());
            assertThat(added.path("role").asText()).isEqualTo("VIEWER");
            assertThat(added.path("addedBy").asText()).isEqualTo(ada.id().toString());
            JsonNode changed = json.readTree(records.get(3).value());
            assertThat(changed.path("role").asText()).isEqualTo("COLLABORATOR");
            assertThat(changed.path("previousRole").asText()).isEqualTo("VIEWER");
            assertThat(json.readTree(records.get(4).value()).path("removedBy").asText()).isEqualTo(ada.id().toString());
            // Nothing else about this project arrives (e.g. for the refused changes).
            assertThat(topic.records().stream().filter(r -> project.toString().equals(r.key()))).hasSize(6);
        }
    }
}
