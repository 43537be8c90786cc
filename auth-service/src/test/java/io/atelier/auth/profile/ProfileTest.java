package io.atelier.auth.profile;

import static org.hamcrest.Matchers.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class ProfileTest {

    final Api api = new Api();

    @Test
    void meNeedsABearerToken() {
        api.request().get("/api/v1/auth/me").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer realm=\"atelier\"");
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

    @Test
    void wrongCurrentPasswordsAreLimitedLikeLogins() {
        Api.Session session = api.signup();
        for (int i = 0; i < 5; i++) {
            api.bearer(session.accessToken()).body(Map.of("currentPassword", "guess " + i, "newPassword", "whatever-12345"))
                    .post("/api/v1/auth/me/password").then().statusCode(400);
        }
        api.bearer(session.accessToken()).body(Map.of("currentPassword", Api.PASSWORD, "newPassword", "whatever-12345"))
                .post("/api/v1/auth/me/password").then().statusCode(429).header("Retry-After", notNullValue());
        // counted with login failures: the same address cannot go on guessing through /login either
        api.request().body(Map.of("email", session.email(), "password", "guess 6")).post("/api/v1/auth/login")
                .then().statusCode(429);
    }

    @Test
    void concurrentRenamesAllSucceedAndTheLastOneStays() throws Exception {
        Api.Session session = api.signup();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String name = "Name " + i;
                answers.add(pool.submit(() -> api.bearer(session.accessToken()).body(Map.of("displayName", name))
                        .patch("/api/v1/auth/me").statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        api.bearer(session.accessToken()).get("/api/v1/auth/me").then().statusCode(200)
                .body("displayName", startsWith("Name "));
    }

    @Test
    void controlCharactersAndLineBreaksInANameAreRefused() {
        Api.Session session = api.signup();
        for (String bad : List.of("a\\u0000b", "two\\nlines", "bell\\u0007")) {
            api.bearer(session.accessToken()).body("{\"displayName\":\"" + bad + "\"}").patch("/api/v1/auth/me")
                    .then().log().ifValidationFails().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("displayName"));
        }
        api.bearer(session.accessToken()).body("{\"displayName\":\"a\",\"displayName\":\"b\"}").patch("/api/v1/auth/me")
                .then().statusCode(400).contentType("application/problem+json");
    }
}
