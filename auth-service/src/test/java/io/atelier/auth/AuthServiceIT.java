package io.atelier.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.FreeManagementPort;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/** The packaged application (the production fast-jar), started by failsafe on the real servers: its smoke test. */
@QuarkusIntegrationTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(FreeManagementPort.class)
class AuthServiceIT {

    @Test
    void signUpReadMeRefreshAndRefuseBadInput() {
        String email = "it-" + UUID.randomUUID() + "@example.com";
        var tokens = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "correct horse battery", "displayName", "Packaged"))
                .post("/api/v1/auth/signup").then().statusCode(201).header("Cache-Control", "no-store")
                .extract().jsonPath();
        given().header("Authorization", "Bearer " + tokens.getString("accessToken")).get("/api/v1/auth/me")
                .then().statusCode(200).body("email", equalTo(email));
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", tokens.getString("refreshToken")))
                .post("/api/v1/auth/refresh").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"email\":\"a\\u0000b@example.com\",\"password\":\"whatever-123\"}")
                .post("/api/v1/auth/login").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("email"));
        given().get("/q/health/ready").then().statusCode(404); // management endpoints are not on the API port
    }
}
