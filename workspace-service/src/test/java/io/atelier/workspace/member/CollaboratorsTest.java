package io.atelier.workspace.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.users.UserDirectory;
import io.atelier.workspace.support.KnownUsers;
import io.atelier.workspace.support.Person;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
class CollaboratorsTest {

    TokenForge tokens;

    @Inject
    UserDirectory directory;

    private static KnownUsers users;

    @BeforeEach
    void knownUsers() {
        if (users == null) {
            users = new KnownUsers(tokens, directory);
        }
    }

    @AfterAll
    static void close() {
        if (users != null) {
            users.close();
            users = null;
        }
    }

    @Test
    void anOwnerInvitesByEmailAndTheInviteeSeesTheProject() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Invited");
        var added = ada.request().body(Map.of("email", "  " + bob.email().toUpperCase() + " ", "role", "COLLABORATOR"))
                .post(Person.collaborators(project)).then().statusCode(201)
                .body("userId", equalTo(bob.id().toString()))
                .body("displayName", equalTo("Bob"))
                .body("email", equalTo(bob.email()))
                .body("role", equalTo("COLLABORATOR"))
                .extract();
        assertThat(added.header("Location")).endsWith(Person.collaborators(project) + "/" + bob.id());
        bob.request().get("/api/v1/projects/" + project).then().statusCode(200).body("role", equalTo("COLLABORATOR"));
    }

    @Test
    void anOwnerInvitesByUserId() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("By id");
        ada.request().body(Map.of("userId", bob.id(), "role", "OWNER")).post(Person.collaborators(project))
                .then().statusCode(201).body("role", equalTo("OWNER")).body("displayName", equalTo("Bob"));
    }

    @Test
    void anUnknownUserIs404WithItsOwnType() {
        Person ada = users.create("Ada");
        UUID project = ada.projectId("Nobody");
        ada.request().body(Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "role", "VIEWER"))
                .post(Person.collaborators(project)).then().statusCode(404)
                .body("type", equalTo("tag:atelier.dev,2026:problem:unknown-user"));
        ada.request().body(Map.of("userId", UUID.randomUUID(), "role", "VIEWER"))
                .post(Person.collaborators(project)).then().statusCode(404)
                .body("type", equalTo("tag:atelier.dev,2026:problem:unknown-user"));
    }

    @Test
    void invitingAMemberAgainIs409() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Twice");
        ada.invite(project, bob, "VIEWER");
        ada.request().body(Map.of("userId", bob.id(), "role", "OWNER")).post(Person.collaborators(project))
                .then().statusCode(409).body("type", equalTo("tag:atelier.dev,2026:problem:already-member"));
        ada.request().body(Map.of("email", ada.email(), "role", "VIEWER")).post(Person.collaborators(project))
                .then().statusCode(409);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"role\":\"VIEWER\"}",
            "{\"email\":\"a@example.com\",\"userId\":\"5b0e7a4e-8a0e-4a51-9d4c-1f1c2d3e4f50\",\"role\":\"VIEWER\"}" })
    void anInvitationNamesExactlyOneOfEmailAndUserId(String json) {
        Person ada = users.create("Ada");
        UUID project = ada.projectId("Strict");
        ada.request().body(json).post(Person.collaborators(project)).then().statusCode(400)
                .body("type", equalTo("tag:atelier.dev,2026:problem:validation"))
                .body("errors.field", hasItem("email")).body("errors.field", hasItem("userId"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"email\":\"not an email\",\"role\":\"VIEWER\"}",
            "{\"email\":\"a@example.com\"}",
            "{\"email\":\"a@example.com\",\"role\":\"ADMIN\"}",
            "{\"email\":\"a@example.com\",\"role\":\"viewer\"}",
            "{\"userId\":\"nope\",\"role\":\"VIEWER\"}",
            "{\"userId\":\"5b0e7a4e-8a0e-4a51-9d4c-1f1c2d3e4f50\",\"role\":\"VIEWER\",\"extra\":1}" })
    void badInvitationsAre400(String json) {
        Person ada = users.create("Ada");
        UUID project = ada.projectId("Bad invites");
        ada.request().body(json).post(Person.collaborators(project)).then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void anOverlongEmailIs400NamingIt() {
        Person ada = users.create("Ada");
        UUID project = ada.projectId("Long");
        ada.request().body(Map.of("email", "a".repeat(250) + "@example.com", "role", "VIEWER"))
                .post(Person.collaborators(project)).then().statusCode(400).body("errors.field", hasItem("email"));
    }

    @Test
    void membersListWithNamesNewestFirstInPages() {
        Person ada = users.create("Ada");
        UUID project = ada.projectId("Crowded");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Person member = users.create("Member " + i);
            ada.invite(project, member, i % 2 == 0 ? "VIEWER" : "COLLABORATOR");
            expected.add(0, member.id().toString());
        }
        expected.add(ada.id().toString());
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            var request = ada.request().queryParam("limit", "2");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get(Person.collaborators(project)).then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.userId"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(walked).containsExactlyElementsOf(expected);
        var last = ada.request().queryParam("limit", "1").queryParam("cursor",
                ada.request().queryParam("limit", "5").get(Person.collaborators(project)).then().extract().jsonPath()
                        .getString("nextCursor"))
                .get(Person.collaborators(project)).then().statusCode(200).extract().jsonPath();
        assertThat(last.getString("items[0].displayName")).isEqualTo("Ada");
        assertThat(last.getString("items[0].role")).isEqualTo("OWNER");
        assertThat(last.getString("items[0].email")).isEqualTo(ada.email());
        assertThat(last.getString("nextCursor")).isNull();
    }

    @Test
    void aMemberTheReplicaDoesNotKnowYetHasNoName() {
        Person ada = Person.newPerson(tokens); // signed in, but no event reached the replica
        UUID project = ada.projectId("Unnamed");
        ada.request().get(Person.collaborators(project)).then().statusCode(200)
                .body("items[0].userId", equalTo(ada.id().toString()))
                .body("items[0].displayName", nullValue()).body("items[0].role", equalTo("OWNER"));
    }

    @Test
    void anOwnerChangesRolesAndRemovesMembers() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Roles");
        ada.invite(project, bob, "VIEWER");
        ada.request().body(Map.of("role", "COLLABORATOR")).patch(Person.collaborators(project) + "/" + bob.id())
                .then().statusCode(200).body("role", equalTo("COLLABORATOR")).body("displayName", equalTo("Bob"));
        ada.request().body(Map.of("role", "COLLABORATOR")).patch(Person.collaborators(project) + "/" + bob.id())
                .then().statusCode(200).body("role", equalTo("COLLABORATOR"));
        ada.request().delete(Person.collaborators(project) + "/" + bob.id()).then().statusCode(204);
        ada.request().delete(Person.collaborators(project) + "/" + bob.id()).then().statusCode(404);
        ada.request().body(Map.of("role", "VIEWER")).patch(Person.collaborators(project) + "/" + bob.id())
                .then().statusCode(404);
        bob.request().get("/api/v1/projects/" + project).then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"role\":null}", "{\"role\":\"KING\"}", "{\"role\":1}", "nope"})
    void badRoleChangesAre400(String json) {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Bad roles");
        ada.invite(project, bob, "VIEWER");
        ada.request().body(json).patch(Person.collaborators(project) + "/" + bob.id()).then().statusCode(400)
                .contentType("application/problem+json");
    }
}
