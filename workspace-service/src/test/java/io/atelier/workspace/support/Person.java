package io.atelier.workspace.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.atelier.platform.security.testing.TokenForge;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** A signed-in user of the workspace API: a fresh id, a unique email and a real nested access token. */
public record Person(UUID id, String email, String token) {

    public static Person newPerson(TokenForge tokens) {
        UUID id = UUID.randomUUID();
        return new Person(id, "p-" + id + "@example.com", tokens.nested(tokens.claims(id)));
    }

    public RequestSpecification request() {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public JsonPath createProject(String name) {
        return request().body(Map.of("name", name, "description", "About " + name)).post("/api/v1/projects")
                .then().statusCode(201).extract().jsonPath();
    }

    public UUID projectId(String name) {
        return UUID.fromString(createProject(name).getString("id"));
    }

    /** Adds {@code who} (known to the users replica) with {@code role}; expects 201. */
    public void invite(UUID project, Person who, String role) {
        request().body(Map.of("userId", who.id(), "role", role)).post(collaborators(project)).then().statusCode(201);
    }

    public static String collaborators(UUID project) {
        return "/api/v1/projects/" + project + "/collaborators";
    }
}
