package io.atelier.e2e.resourceserver;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.RunningSuite;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A second Quarkus app, configured only by platform/security, accepts a token auth-service issued
 * (signature checked against auth-service's JWKS URL, JWE opened with the decryption key) and
 * refuses everything else.
 */
@QuarkusTest
class ResourceServerTest {

    @BeforeAll
    static void suiteIsUp() {
        RunningSuite.ensureUp();
    }

    @Test
    void acceptsATokenIssuedByAuthService() {
        String email = "rs-" + UUID.randomUUID() + "@example.com";
        JsonPath signup = signup(email);
        given().header("Authorization", "Bearer " + signup.getString("accessToken")).get("/whoami")
                .then().statusCode(200)
                .body("sub", equalTo(signup.getString("user.id")))
                .body("email", equalTo(email))
                .body("groups", contains("user"))
                .body("issuer", equalTo("http://localhost:8080"));
    }

    @Test
    void refusesATamperedToken() {
        String token = signup("rs-" + UUID.randomUUID() + "@example.com").getString("accessToken");
        String[] parts = token.split("\\.");
        parts[3] = (parts[3].charAt(0) == 'A' ? "B" : "A") + parts[3].substring(1);
        given().header("Authorization", "Bearer " + String.join(".", parts)).get("/whoami").then().statusCode(401);
    }

    @Test
    void refusesAMissingOrForeignToken() {
        given().get("/whoami").then().statusCode(401);
        given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").get("/whoami").then().statusCode(401);
    }

    private static JsonPath signup(String email) {
        return given().baseUri(RunningSuite.GATEWAY).contentType(ContentType.JSON)
                .header("X-Forwarded-For", "198.19.0." + (1 + (int) (Math.random() * 250)))
                .body(Map.of("email", email, "password", "correct horse battery staple", "displayName", "RS"))
                .post("/api/v1/auth/signup").then().statusCode(201).extract().jsonPath();
    }
}
