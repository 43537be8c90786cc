package io.atelier.auth.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.atelier.platform.testing.MovableClock;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Refresh rotation; the 10 s grace window is crossed by moving the service's clock. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class RefreshTest {

    final Api api = new Api();

    @Test
    void refreshRotatesTheTokenAndIssuesANewPair() {
        Api.Session session = api.signup();
        JsonPath rotated = refresh(session.refreshToken(), 200);
        assertThat(rotated.getString("refreshToken")).isNotEqualTo(session.refreshToken()).hasSize(43);
        assertThat(rotated.getString("accessToken")).isNotEqualTo(session.accessToken());
        assertThat(rotated.getString("user.id")).isEqualTo(session.userId());
        api.bearer(rotated.getString("accessToken")).get("/api/v1/auth/me").then().statusCode(200);
        refresh(rotated.getString("refreshToken"), 200);
    }

    @Test
    void parallelRefreshWithinTheGraceWindowGetsTheSamePair() {
        Api.Session session = api.signup();
        JsonPath first = refresh(session.refreshToken(), 200);
        JsonPath second = refresh(session.refreshToken(), 200);
        assertThat(second.getString("refreshToken")).isEqualTo(first.getString("refreshToken"));
        refresh(first.getString("refreshToken"), 200); // the family is intact
    }

    @Test
    void reuseAfterTheGraceWindowRevokesTheWholeFamily() {
        Api.Session session = api.signup();
        String current = refresh(session.refreshToken(), 200).getString("refreshToken");

        MovableClock clock = new MovableClock();
        QuarkusMock.installMockForType(clock, Clock.class);
        clock.advance(Duration.ofSeconds(9));
        // Within the window the old token answers with the current pair; past it, it is reuse.
        assertThat(refresh(session.refreshToken(), 200).getString("refreshToken")).isEqualTo(current);
        clock.advance(Duration.ofSeconds(2));
        refresh(session.refreshToken(), 401);

        refresh(current, 401); // the legitimate holder is signed out too: the family is revoked
        api.bearer(session.accessToken()).get("/api/v1/auth/me").then().statusCode(200); // access tokens live out their 15 min
    }

    @Test
    void unknownOrMalformedRefreshTokensAreRejected() {
        refresh("A".repeat(43), 401);
        refresh("short", 401);
        refresh("x".repeat(200), 401); // not one of ours, whatever its length
        api.request().body(Map.of("refreshToken", api.signup().accessToken())).post("/api/v1/auth/refresh").then()
                .statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("tag:atelier.dev,2026:problem:invalid-refresh-token"));
        api.request().body(Map.of()).post("/api/v1/auth/refresh").then().statusCode(400);
    }

    @Test
    void logoutEndsThatSignInOnly() {
        Api.Session first = api.signup();
        Api.Session second = api.login(first.email(), Api.PASSWORD);
        api.request().body(Map.of("refreshToken", first.refreshToken())).post("/api/v1/auth/logout")
                .then().statusCode(204);
        refresh(first.refreshToken(), 401);
        refresh(second.refreshToken(), 200);
        // Idempotent for a sign-in that has ended; a token never issued here is a 401, whatever its length.
        api.request().body(Map.of("refreshToken", first.refreshToken())).post("/api/v1/auth/logout").then().statusCode(204);
        api.request().body(Map.of("refreshToken", "B".repeat(43))).post("/api/v1/auth/logout").then().statusCode(401);
        api.request().body(Map.of("refreshToken", second.accessToken())).post("/api/v1/auth/logout").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void logoutAllEndsEverySignIn() {
        Api.Session first = api.signup();
        Api.Session second = api.login(first.email(), Api.PASSWORD);
        api.bearer(second.accessToken()).post("/api/v1/auth/logout-all").then().statusCode(204);
        refresh(first.refreshToken(), 401);
        refresh(second.refreshToken(), 401);
        api.login(first.email(), Api.PASSWORD);
    }

    @Test
    void logoutAllNeedsABearerToken() {
        api.request().post("/api/v1/auth/logout-all").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401));
    }

    private JsonPath refresh(String token, int expectedStatus) {
        return api.request().body(Map.of("refreshToken", token)).post("/api/v1/auth/refresh")
                .then().statusCode(expectedStatus).extract().jsonPath();
    }

}
