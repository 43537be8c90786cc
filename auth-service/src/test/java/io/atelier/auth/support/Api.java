package io.atelier.auth.support;

import static io.restassured.RestAssured.given;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A client of the auth API. Each instance is one client address (sent as X-Forwarded-For, which the
 * service trusts from loopback as it trusts the gateway), so per-IP limits see distinct callers.
 */
public final class Api {

    public static final String PASSWORD = "correct horse battery staple";

    private final String ip;

    public Api() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.ip = "198.18." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    public String ip() {
        return ip;
    }

    public RequestSpecification request() {
        return given().header("X-Forwarded-For", ip).contentType(ContentType.JSON);
    }

    public RequestSpecification bearer(String accessToken) {
        return request().header("Authorization", "Bearer " + accessToken);
    }

    public static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /** Signs up a fresh account and returns the token response. */
    public Session signup() {
        return signup(uniqueEmail(), PASSWORD, "Test User");
    }

    public Session signup(String email, String password, String displayName) {
        JsonPath body = request()
                .body(java.util.Map.of("email", email, "password", password, "displayName", displayName))
                .post("/api/v1/auth/signup").then().statusCode(201).extract().jsonPath();
        return Session.of(body);
    }

    public Session login(String email, String password) {
        return Session.of(request().body(java.util.Map.of("email", email, "password", password))
                .post("/api/v1/auth/login").then().statusCode(200).extract().jsonPath());
    }

    public record Session(String userId, String email, String accessToken, String refreshToken) {
        static Session of(JsonPath body) {
            return new Session(body.getString("user.id"), body.getString("user.email"), body.getString("accessToken"),
                    body.getString("refreshToken"));
        }
    }
}
