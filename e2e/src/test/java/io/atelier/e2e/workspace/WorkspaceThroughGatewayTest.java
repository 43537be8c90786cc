package io.atelier.e2e.workspace;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.Accounts;
import io.atelier.e2e.Accounts.Account;
import io.atelier.e2e.RunningSuite;

/**
 * workspace-service as a client sees it, through nginx: real accounts from auth-service, a project, an
 * invitation by email once auth.user-events has brought the invitee into workspace-service's replica, and
 * the roles at work.
 */
class WorkspaceThroughGatewayTest {

    @BeforeAll
    static void suiteIsUp() {
        RunningSuite.ensureUp();
    }

    @Test
    void anOwnerInvitesByEmailAndTheRolesHold() {
        Account ada = Accounts.signUp("Ada Workspace");
        Account bob = Accounts.signUp("Bob Workspace");
        Account eve = Accounts.signUp("Eve Outsider");
        String project = ada.request().body(Map.of("name", "Through nginx")).post("/api/v1/projects").then().statusCode(201)
                .body("role", equalTo("OWNER")).extract().jsonPath().getString("id");

        // Bob's sign-up reaches workspace-service through auth.user-events: until then he is an unknown user.
        // Polled once a second: each attempt counts against Ada's invitation limit (30 a minute).
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> ada.request()
                .body(Map.of("email", bob.email(), "role", "VIEWER")).post("/api/v1/projects/" + project + "/collaborators")
                .statusCode() == 201);

        bob.request().get("/api/v1/projects").then().statusCode(200)
                .body("items.id", equalTo(List.of(project))).body("items[0].role", equalTo("VIEWER"));
        bob.request().body(Map.of("name", "Mine")).put("/api/v1/projects/" + project).then().statusCode(403)
                .contentType("application/problem+json");
        eve.request().get("/api/v1/projects/" + project).then().statusCode(404).contentType("application/problem+json");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> ada.request().get("/api/v1/projects/" + project + "/collaborators")
                .then().statusCode(200).body("items.displayName", equalTo(List.of("Bob Workspace", "Ada Workspace"))));
        ada.request().delete("/api/v1/projects/" + project + "/collaborators/" + ada.id()).then().statusCode(409);
        bob.request().delete("/api/v1/projects/" + project + "/collaborators/" + bob.id()).then().statusCode(204);
        bob.request().get("/api/v1/projects").then().statusCode(200).body("items.size()", equalTo(0));
    }
}
