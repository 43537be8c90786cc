package io.atelier.workspace.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.users.UserDirectory;
import io.atelier.workspace.support.KnownUsers;
import io.atelier.workspace.support.Person;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Who may do what in a project, through the API: the role table, and the rule that a project keeps an OWNER. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
class RolesTest {

    private static final String LAST_OWNER = "tag:atelier.dev,2026:problem:last-owner";

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

    /**
     * One project per cell: its creator (an OWNER), a VIEWER to act on, and the actor with the row's role
     * (a second OWNER in the OWNER column; no membership in the last).
     */
    @ParameterizedTest(name = "{0}: OWNER {1}, COLLABORATOR {2}, VIEWER {3}, non-member {4}")
    @CsvSource({
            "get,          200, 200, 200, 404",
            "update,       200, 403, 403, 404",
            "delete,       204, 403, 403, 404",
            "listMembers,  200, 200, 200, 404",
            "invite,       201, 403, 403, 404",
            "changeRole,   200, 403, 403, 404",
            "removeOther,  204, 403, 403, 404",
            "leave,        204, 204, 204, 404" })
    void theRoleDecidesWhatAMemberMayDo(String action, int owner, int collaborator, int viewer, int stranger) {
        String[] roles = {"OWNER", "COLLABORATOR", "VIEWER", null};
        int[] expected = {owner, collaborator, viewer, stranger};
        for (int i = 0; i < roles.length; i++) {
            Person creator = users.create("Creator");
            Person actor = users.create("Actor");
            Person target = users.create("Target");
            UUID project = creator.projectId("Table " + action);
            creator.invite(project, target, "VIEWER");
            if (roles[i] != null) {
                creator.invite(project, actor, roles[i]);
            }
            Response answer = perform(action, actor, project, target);
            assertThat(answer.statusCode()).as("%s as %s: %s", action, roles[i] == null ? "non-member" : roles[i],
                    answer.asString()).isEqualTo(expected[i]);
            if (answer.statusCode() >= 400) {
                assertThat(answer.contentType()).startsWith("application/problem+json");
            }
            if (answer.statusCode() == 403) {
                assertThat(answer.jsonPath().getString("type")).isEqualTo("tag:atelier.dev,2026:problem:role-forbids");
            }
        }
    }

    private Response perform(String action, Person actor, UUID project, Person target) {
        String path = "/api/v1/projects/" + project;
        return switch (action) {
            case "get" -> actor.request().get(path);
            case "update" -> actor.request().body(Map.of("name", "Renamed")).put(path);
            case "delete" -> actor.request().delete(path);
            case "listMembers" -> actor.request().get(path + "/collaborators");
            case "invite" -> actor.request().body(Map.of("userId", users.create("Invitee").id(), "role", "VIEWER"))
                    .post(path + "/collaborators");
            case "changeRole" -> actor.request().body(Map.of("role", "COLLABORATOR"))
                    .patch(path + "/collaborators/" + target.id());
            case "removeOther" -> actor.request().delete(path + "/collaborators/" + target.id());
            case "leave" -> actor.request().delete(path + "/collaborators/" + actor.id());
            default -> throw new IllegalArgumentException(action);
        };
    }

    @Test
    void theLastOwnerCannotLeave() {
        Person ada = users.create("Ada");
        UUID project = ada.projectId("Alone");
        ada.request().delete(Person.collaborators(project) + "/" + ada.id()).then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo(LAST_OWNER));
        ada.request().get("/api/v1/projects/" + project).then().statusCode(200).body("role", equalTo("OWNER"));
    }

    @Test
    void theLastOwnerCannotBeDemoted() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Kept");
        ada.invite(project, bob, "COLLABORATOR");
        ada.request().body(Map.of("role", "VIEWER")).patch(Person.collaborators(project) + "/" + ada.id())
                .then().statusCode(409).body("type", equalTo(LAST_OWNER));
        ada.request().delete(Person.collaborators(project) + "/" + ada.id()).then().statusCode(409);
    }

    @Test
    void anOwnerMayLeaveOrBeDemotedWhileAnotherOwnerStays() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Shared");
        ada.invite(project, bob, "OWNER");
        bob.request().body(Map.of("role", "VIEWER")).patch(Person.collaborators(project) + "/" + ada.id())
                .then().statusCode(200).body("role", equalTo("VIEWER"));
        bob.request().delete(Person.collaborators(project) + "/" + bob.id()).then().statusCode(409);
        bob.request().body(Map.of("role", "OWNER")).patch(Person.collaborators(project) + "/" + ada.id())
                .then().statusCode(200);
        bob.request().delete(Person.collaborators(project) + "/" + bob.id()).then().statusCode(204);
        bob.request().get("/api/v1/projects/" + project).then().statusCode(404);
        ada.request().get("/api/v1/projects/" + project).then().statusCode(200).body("role", equalTo("OWNER"));
    }

    @Test
    void twoOwnersDemotingEachOtherAtOnceLeaveOneOwner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                Person ada = users.create("Ada");
                Person bob = users.create("Bob");
                UUID project = ada.projectId("Duel " + round);
                ada.invite(project, bob, "OWNER");
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<Integer>> answers = new ArrayList<>();
                for (Person[] pair : new Person[][] {{ada, bob}, {bob, ada}}) {
                    answers.add(CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return pair[0].request().body(Map.of("role", "VIEWER"))
                                .patch(Person.collaborators(project) + "/" + pair[1].id()).statusCode();
                    }, pool));
                }
                start.countDown();
                List<Integer> statuses = answers.stream().map(CompletableFuture::join).sorted().toList();
                assertThat(statuses).containsExactly(200, 403);
                List<String> roles = ada.request().get(Person.collaborators(project)).then().extract().jsonPath()
                        .getList("items.role", String.class);
                List<String> rolesSeenByBob = bob.request().get(Person.collaborators(project)).then().extract()
                        .jsonPath().getList("items.role", String.class);
                assertThat(roles).containsExactlyInAnyOrder("OWNER", "VIEWER").isEqualTo(rolesSeenByBob);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
