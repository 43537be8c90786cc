package io.atelier.e2e.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.RunningSuite;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The auth flows as a client sees them: through nginx on :8080, against the running auth-service. */
class AuthThroughGatewayTest {

    private static final String PASSWORD = "correct horse battery staple";

    @BeforeAll
    static void suiteIsUp() {
        RunningSuite.ensureUp();
    }

    private static RequestSpecification gateway() {
        return given().baseUri(RunningSuite.GATEWAY).contentType(ContentType.JSON);
    }

    @Test
    void signupMeRefreshLogoutThroughTheGateway() {
        String email = "gw-" + UUID.randomUUID() + "@example.com";
        JsonPath signup = gateway().body(Map.of("email", email, "password", PASSWORD, "displayName", "Gateway"))
                .post("/api/v1/auth/signup").then().statusCode(201).extract().jsonPath();
        String access = signup.getString("accessToken");

        gateway().header("Authorization", "Bearer " + access).get("/api/v1/auth/me")
                .then().statusCode(200).body("email", equalTo(email));
        gateway().header("Authorization", "Bearer " + access).get("/api/v1/auth/verify")
                .then().statusCode(200).body("active", equalTo(true));

        JsonPath refreshed = gateway().body(Map.of("refreshToken", signup.getString("refreshToken")))
                .post("/api/v1/auth/refresh").then().statusCode(200).extract().jsonPath();
        gateway().body(Map.of("refreshToken", refreshed.getString("refreshToken"))).post("/api/v1/auth/logout")
                .then().statusCode(204);
        gateway().body(Map.of("refreshToken", refreshed.getString("refreshToken"))).post("/api/v1/auth/refresh")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void problemsCarryTheGatewayRequestId() {
        var response = gateway().header("X-Request-Id", "e2e-trace-1").body(Map.of("email", "nope"))
                .post("/api/v1/auth/signup").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("password")).extract();
        assertThat(response.header("X-Request-Id")).isEqualTo("e2e-trace-1");
        assertThat(response.jsonPath().getString("requestId")).isEqualTo("e2e-trace-1");
    }

    @Test
    void keysAreDiscoverableThroughTheGateway() {
        gateway().get("/.well-known/jwks.json").then().statusCode(200).body("keys[0].kid", notNullValue());
        gateway().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("jwks_uri", equalTo("http://localhost:8080/.well-known/jwks.json"));
    }

    @Test
    void googleSignInSaysWhenItIsNotConfigured() {
        // ./atelier runs auth-service without a Google client (none can be reached from here).
        gateway().get("/api/v1/auth/google").then().statusCode(503).contentType("application/problem+json")
                .body("title", equalTo("Google sign-in is not configured"));
        gateway().body(Map.of("idToken", "x.y.z")).post("/api/v1/auth/google/id-token").then().statusCode(503);
    }

    @Test
    void internalEndpointsAreNotExposed() {
        gateway().get("/q/metrics").then().statusCode(404).contentType("application/problem+json");
    }
}
