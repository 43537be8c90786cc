package io.atelier.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProfileTest {

    final Api api = new Api();

    @Test
    void meNeedsABearerToken() {
        api.request().get("/api/v1/auth/me").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
    }

    @Test
    void displayNameCanBeChanged() {
        Api.Session session = api.signup();
        api.bearer(session.accessToken()).body(Map.of("displayName", "  Grace Hopper ")).patch("/api/v1/auth/me")
                .then().statusCode(200).body("displayName", equalTo("Grace Hopper")).body("email", equalTo(session.email()));
        api.bearer(session.accessToken()).get("/api/v1/auth/me").then().statusCode(200)
                .body("displayName", equalTo("Grace Hopper"));
    }

    @Test
    void blankOrOverlongDisplayNameIsRejected() {
        Api.Session session = api.signup();
        api.bearer(session.accessToken()).body(Map.of("displayName", " ")).patch("/api/v1/auth/me")
                .then().statusCode(400).body("errors.field", hasItem("displayName"));
        api.bearer(session.accessToken()).body(Map.of("displayName", "x".repeat(101))).patch("/api/v1/auth/me")
                .then().statusCode(400).body("errors.field", hasItem("displayName"));
    }

    @Test
    void onlyTheDisplayNameCanBeChanged() {
        Api.Session session = api.signup();
        api.bearer(session.accessToken()).body(Map.of("displayName", "A", "email", "other@example.com"))
                .patch("/api/v1/auth/me").then().statusCode(400).body("errors.field", hasItem("email"));
    }

    @Test
    void passwordChangeKeepsThisSessionAndEndsTheOthers() {
        Api.Session first = api.signup();
        Api.Session second = api.login(first.email(), Api.PASSWORD);

        api.bearer(first.accessToken())
                .body(Map.of("currentPassword", Api.PASSWORD, "newPassword", "a brand new passphrase"))
                .post("/api/v1/auth/me/password").then().statusCode(204);

        api.request().body(Map.of("refreshToken", first.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(200);
        api.request().body(Map.of("refreshToken", second.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
        api.request().body(Map.of("email", first.email(), "password", Api.PASSWORD)).post("/api/v1/auth/login")
                .then().statusCode(401);
        api.login(first.email(), "a brand new passphrase");
    }

    @Test
    void passwordChangeNeedsTheCurrentPassword() {
        Api.Session session = api.signup();
        api.bearer(session.accessToken())
                .body(Map.of("currentPassword", "not it at all", "newPassword", "a brand new passphrase"))
                .post("/api/v1/auth/me/password").then().statusCode(400)
                .body("errors.field", hasItem("currentPassword"));
        api.bearer(session.accessToken()).body(Map.of("currentPassword", Api.PASSWORD, "newPassword", "short"))
                .post("/api/v1/auth/me/password").then().statusCode(400).body("errors.field", hasItem("newPassword"));
        api.login(session.email(), Api.PASSWORD);
    }
}
