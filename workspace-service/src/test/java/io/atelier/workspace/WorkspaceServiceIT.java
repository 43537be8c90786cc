package io.atelier.workspace;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.FreeManagementPort;
import io.atelier.platform.testing.RealServers;
import io.atelier.workspace.support.Person;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The packaged application (the production fast-jar) on the real servers: the smoke of every route. */
@QuarkusIntegrationTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
@WithTestResource(FreeManagementPort.class)
class WorkspaceServiceIT {

    TokenForge tokens;

    @Test
    void smoke() {
        Person ada = Person.newPerson(tokens);
        UUID project = ada.projectId("Packaged");
        ada.request().get("/api/v1/projects").then().statusCode(200).body("items[0].name", equalTo("Packaged"))
                .body("items[0].role", equalTo("OWNER"));
        ada.request().body(Map.of("name", "Packaged again")).put("/api/v1/projects/" + project).then().statusCode(200);
        ada.request().get("/api/v1/projects").then().statusCode(200).body("items[0].name", equalTo("Packaged again"));
        ada.request().get(Person.collaborators(project)).then().statusCode(200)
                .body("items[0].userId", equalTo(ada.id().toString()));
        ada.request().delete(Person.collaborators(project) + "/" + ada.id()).then().statusCode(409);
        given().get("/api/v1/projects").then().statusCode(401).contentType("application/problem+json");
        ada.request().body("{\"name\":\"\"}").post("/api/v1/projects").then().statusCode(400);
        ada.request().delete("/api/v1/projects/" + project).then().statusCode(204);
        ada.request().get("/api/v1/projects").then().statusCode(200).body("items.size()", equalTo(0));
        given().get("/q/health/ready").then().statusCode(404); // management endpoints are not on the API port
    }
}
