package io.atelier.content.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.atelier.platform.security.testing.TokenForge;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** A signed-in user of the content API: a fresh id and a real nested access token for it. */
public record Member(UUID id, String token) {

    public static Member newMember(TokenForge tokens) {
        UUID id = UUID.randomUUID();
        return new Member(id, tokens.nested(tokens.claims(id)));
    }

    public RequestSpecification request() {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** Creates a post and returns its JSON. */
    public JsonPath post(String title, String body) {
        return request().body(Map.of("title", title, "body", body)).post("/api/v1/posts")
                .then().statusCode(201).extract().jsonPath();
    }

    public UUID postId(String title) {
        return UUID.fromString(post(title, "Body of " + title).getString("id"));
    }

    public UUID collectionId(String name) {
        return UUID.fromString(request().body(Map.of("name", name, "description", "About " + name))
                .post("/api/v1/collections").then().statusCode(201).extract().jsonPath().getString("id"));
    }
}
