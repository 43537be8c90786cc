package io.atelier.auth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.atelier.auth.support.TokenForge;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class WellKnownTest {

    @Test
    void jwksPublishesOnlyPublicSigningKeys() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", containsString("max-age=300"))
                .body("keys.kty", everyItem(equalTo("RSA")))
                .body("keys.alg", everyItem(equalTo("RS256")))
                .body("keys.use", everyItem(equalTo("sig")))
                .body("keys.kid", everyItem(notNullValue()))
                .body("keys[0]", not(hasKey("d")))
                .body("keys[0]", not(hasKey("p")))
                .body("keys.kid", hasItem(matchesPattern("\\d{8}T\\d{4}Z")));
    }

    @Test
    void openidConfigurationNamesIssuerAndJwks() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo(TokenForge.ISSUER))
                .body("jwks_uri", equalTo(TokenForge.ISSUER + "/.well-known/jwks.json"));
    }
}
