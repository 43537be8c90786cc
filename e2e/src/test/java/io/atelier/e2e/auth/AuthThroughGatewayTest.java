package io.atelier.e2e.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.LoopbackClients;
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

    @Test
    void aClientCannotChooseItsAddressWithForwardedHeaders() throws Exception {
        HttpClient attacker = LoopbackClients.fromFreshAddress();
        // 20 failed logins a minute per address (docs/auth.md), each with a new forged address: the burst of 20 is
        // used up, then the limit answers. A cell comes back every 3 s, so on a slow machine a few more attempts may
        // pass first; with forged addresses honoured, none would ever be limited.
        for (int i = 0; i < 20; i++) {
            assertThat(login(attacker, "nobody-" + UUID.randomUUID() + "@example.com", "203.0.113." + i).statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> limited = null;
        for (int i = 0; i < 40 && (limited == null || limited.statusCode() != 429); i++) {
            limited = login(attacker, "nobody-" + UUID.randomUUID() + "@example.com", "198.51.100." + i);
            assertThat(limited.statusCode()).isIn(401, 429);
        }
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        // the limit belongs to the attacker's real address: another client is untouched
        assertThat(login(LoopbackClients.fromFreshAddress(), "nobody@example.com", null).statusCode()).isEqualTo(401);
    }

    @Test
    void responsesCarryTheSecurityHeaders() {
        var answer = gateway().body(Map.of("email", "x@example.com", "password", "whatever-123"))
                .post("/api/v1/auth/login").then().extract();
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void badInputIsAProblemNotAServerError() {
        for (String body : List.of("{\"email\":\"a\\u0000b@example.com\",\"password\":\"whatever-123\"}",
                "{\"refreshToken\":\"a\",\"refreshToken\":\"b\"}", "{\"email\":\"a@example.com\",\"password\":12345678}")) {
            gateway().body(body).post("/api/v1/auth/login").then().statusCode(400).contentType("application/problem+json");
        }
        gateway().header("Accept", "").body(Map.of("refreshToken", "x".repeat(300))).post("/api/v1/auth/refresh")
                .then().statusCode(401).contentType("application/problem+json");
        given().baseUri(RunningSuite.GATEWAY).body("{\"email\":\"a@example.com\",\"password\":\"whatever-123\"}")
                .post("/api/v1/auth/login").then().statusCode(415);
    }

    private static HttpResponse<String> login(HttpClient client, String email, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(RunningSuite.GATEWAY + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"wrong-pass\"}"));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor).header("X-Real-IP", forwardedFor)
                    .header("Forwarded", "for=" + forwardedFor);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
