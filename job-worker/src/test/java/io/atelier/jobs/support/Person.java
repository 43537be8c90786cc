package io.atelier.jobs.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.atelier.platform.security.testing.TokenForge;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** A signed-in user of the jobs API: a fresh id and a real nested access token. */
public record Person(UUID id, String token) {

    public static Person newPerson(TokenForge tokens) {
        UUID id = UUID.randomUUID();
        return new Person(id, tokens.nested(tokens.claims(id)));
    }

    public RequestSpecification request() {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** Submits a job; expects 202. */
    public JsonPath submit(Map<String, ?> job) {
        return request().body(job).post("/api/v1/jobs").then().statusCode(202).extract().jsonPath();
    }

    public UUID submit(String type, Object payload) {
        return UUID.fromString(submit(Map.of("type", type, "payload", payload)).getString("id"));
    }

    public JsonPath job(UUID id) {
        return request().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the job is in one of {@code statuses}; returns it then. */
    public JsonPath awaitStatus(UUID id, Duration within, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        JsonPath[] last = new JsonPath[1];
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = job(id);
            return wanted.contains(last[0].getString("status"));
        });
        return last[0];
    }
}
