package io.atelier.workspace.project;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.atelier.workspace.support.Person;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
class ProjectsTest {

    TokenForge tokens;

    @Test
    void theCreatorOwnsANewProjectAndMayChangeAndDeleteIt() {
        Person ada = Person.newPerson(tokens);
        var created = ada.request().body(Map.of("name", "  Atlas  ")).post("/api/v1/projects")
                .then().statusCode(201)
                .body("name", equalTo("Atlas"))
                .body("description", equalTo(""))
                .body("role", equalTo("OWNER"))
                .extract();
        String id = created.jsonPath().getString("id");
        assertThat(created.header("Location")).endsWith("/api/v1/projects/" + id);
        assertThat(created.jsonPath().getString("joinedAt")).isEqualTo(created.jsonPath().getString("createdAt"));

        ada.request().get("/api/v1/projects/" + id).then().statusCode(200)
                .body("name", equalTo("Atlas")).body("role", equalTo("OWNER"));
        ada.request().body(Map.of("name", "Atlas 2", "description", "Maps, again"))
                .put("/api/v1/projects/" + id).then().statusCode(200)
                .body("name", equalTo("Atlas 2")).body("description", equalTo("Maps, again")).body("role", equalTo("OWNER"));
        ada.request().delete("/api/v1/projects/" + id).then().statusCode(204);
        ada.request().get("/api/v1/projects/" + id).then().statusCode(404).contentType("application/problem+json");
        ada.request().delete("/api/v1/projects/" + id).then().statusCode(404);
    }

    @Test
    void aRetriedCreateWithAnIdempotencyKeyMakesOneProject() {
        Person ada = Person.newPerson(tokens);
        String key = UUID.randomUUID().toString();
        var first = ada.request().header("Idempotency-Key", key).body(Map.of("name", "Once"))
                .post("/api/v1/projects").then().statusCode(201).extract();
        var retry = ada.request().header("Idempotency-Key", key).body(Map.of("name", "Once"))
                .post("/api/v1/projects").then().statusCode(201).header("Idempotent-Replayed", "true").extract();
        assertThat(retry.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        ada.request().header("Idempotency-Key", key).body(Map.of("name", "Another"))
                .post("/api/v1/projects").then().statusCode(422).contentType("application/problem+json");
        ada.request().header("Idempotency-Key", "not a key").body(Map.of("name", "x"))
                .post("/api/v1/projects").then().statusCode(400).body("errors.field", hasItem("Idempotency-Key"));
        assertThat(ada.request().get("/api/v1/projects").then().statusCode(200).extract().jsonPath().getList("items.id"))
                .containsExactly(first.jsonPath().getString("id"));
    }

    @Test
    void theListShowsOnlyTheCallersProjectsWithTheirRoleNewestJoinedFirst() {
        Person ada = Person.newPerson(tokens);
        Person.newPerson(tokens).projectId("Not Ada's");
        UUID first = ada.projectId("first");
        UUID second = ada.projectId("second");
        ada.request().get("/api/v1/projects").then().statusCode(200)
                .body("items.id", equalTo(List.of(second.toString(), first.toString())))
                .body("items.role", equalTo(List.of("OWNER", "OWNER")))
                .body("nextCursor", nullValue());
    }

    @Test
    void pagesWalkEveryProjectExactlyOnce() {
        Person ada = Person.newPerson(tokens);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(0, ada.projectId("p" + i).toString());
        }
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = ada.request().queryParam("limit", "3");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/v1/projects").then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(walked).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void everyEndpointNeedsAValidToken() {
        Person ada = Person.newPerson(tokens);
        UUID id = ada.projectId("Guarded");
        given().get("/api/v1/projects").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json");
        given().get("/api/v1/projects/" + id).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("name", "n")).post("/api/v1/projects").then().statusCode(401);
        given().get(Person.collaborators(id)).then().statusCode(401);
        given().header("Authorization", "Bearer " + tokens.signedByStranger(tokens.claims(ada.id())))
                .delete("/api/v1/projects/" + id).then().statusCode(401);
        given().header("Authorization", "Bearer garbage").get("/api/v1/projects").then().statusCode(401);
        ada.request().get("/api/v1/projects/" + id).then().statusCode(200);
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        Person ada = Person.newPerson(tokens);
        ada.request().get("/api/v1/projects/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        ada.request().get("/api/v1/projects/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        ada.request().body(Map.of("name", "n")).put("/api/v1/projects/" + UUID.randomUUID()).then().statusCode(404);
        ada.request().get("/api/v1/projects/not-a-uuid/collaborators").then().statusCode(404);
        UUID id = ada.projectId("Real");
        ada.request().delete(Person.collaborators(id) + "/not-a-uuid").then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"\"}",
            "{\"name\":\"   \"}",
            "{}",
            "{\"description\":\"d\"}",
            "{\"name\":\"two\\nlines\"}",
            "{\"name\":\"bell\\u0007\"}",
            "{\"name\":\"n\",\"description\":\"nul\\u0000\"}" })
    void invalidProjectsAre400NamingTheField(String json) {
        Person.newPerson(tokens).request().body(json).post("/api/v1/projects")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("tag:atelier.dev,2026:problem:validation"))
                .body("errors.size()", org.hamcrest.Matchers.greaterThan(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"n\",\"owner\":\"me\"}",
            "{\"name\":1}",
            "{\"name\":\"a\",\"name\":\"b\"}",
            "[1,2]",
            "{\"name\":\"n\"} trailing",
            "not json" })
    void malformedBodiesAre400(String json) {
        Person.newPerson(tokens).request().body(json).post("/api/v1/projects")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void lengthsAreBoundedExactly() {
        Person ada = Person.newPerson(tokens);
        ada.request().body(Map.of("name", "n".repeat(100), "description", "d".repeat(2_000)))
                .post("/api/v1/projects").then().statusCode(201);
        ada.request().body(Map.of("name", "n".repeat(101))).post("/api/v1/projects")
                .then().statusCode(400).body("errors.field", hasItem("name"));
        ada.request().body(Map.of("name", "n", "description", "d".repeat(2_001))).post("/api/v1/projects")
                .then().statusCode(400).body("errors.field", hasItem("description"));
        // Past the service's body limit: refused before it is read.
        ada.request().body(Map.of("name", "n", "description", "d".repeat(20_000))).post("/api/v1/projects")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void aBodyWithoutContentTypeIs415() {
        Person ada = Person.newPerson(tokens);
        given().header("Authorization", "Bearer " + ada.token()).body("{\"name\":\"n\"}")
                .post("/api/v1/projects").then().statusCode(415).contentType("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=x", "limit=-1", "cursor=nope", "cursor=MTpub3Q6YQ"})
    void badPageParametersAre400NamingThem(String query) {
        Person.newPerson(tokens).request().get("/api/v1/projects?" + query).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(query.substring(0, query.indexOf('='))));
    }
}
