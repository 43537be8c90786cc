package io.atelier.platform.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(TestTokenKeys.class)
class CurrentCallerTest {

    TokenForge tokens;

    @jakarta.inject.Inject
    io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory tokenParser;

    @Test
    void tokensAreParsedByTheCachingParserAndAcceptedAgainFromIt() {
        org.assertj.core.api.Assertions.assertThat(tokenParser).isInstanceOf(CachingTokenParser.class);
        String token = tokens.valid();
        given().header("Authorization", "Bearer " + token).get("/caller").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/caller").then().statusCode(200);
    }

    @Test
    void readsEveryFieldOfTheCallerFromTheToken() {
        UUID user = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        Instant expiry = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String token = tokens.nested(tokens.claims(user)
                .claim("email", "ada@example.com")
                .claim("sid", session.toString())
                .groups(Set.of("user", "admin"))
                .expiresAt(expiry));

        given().auth().oauth2(token).get("/caller")
                .then().statusCode(200)
                .body("id", equalTo(user.toString()))
                .body("email", equalTo("ada@example.com"))
                .body("groups", containsInAnyOrder("user", "admin"))
                .body("sessionId", equalTo(session.toString()))
                .body("expiresAt", equalTo(expiry.toString()));
    }

    @Test
    void readsTheCallerOnTheEventLoopToo() {
        UUID user = UUID.randomUUID();

        given().auth().oauth2(tokens.nested(tokens.claims(user))).get("/caller/reactive")
                .then().statusCode(200).body("id", equalTo(user.toString()));
        unauthorized(given().get("/caller/reactive").then());
    }

    @Test
    void tokenWithoutSessionHasNoSessionId() {
        String token = tokens.nested(tokens.claims(UUID.randomUUID()).remove("sid"));

        given().auth().oauth2(token).get("/caller").then().statusCode(200).body("sessionId", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/caller", "/caller/unguarded"})
    void missingTokenIsA401Problem(String path) {
        unauthorized(given().get(path).then());
    }

    @Test
    void tokensThatAreNotAuthServicesAreA401Problem() {
        UUID user = UUID.randomUUID();
        for (String token : new String[] {
                "not-a-token",
                tokens.signedByStranger(tokens.claims(user)),
                tokens.encryptedForStranger(tokens.claims(user)),
                tokens.signedOnly(tokens.claims(user)),
                tokens.nested(tokens.claims(user).audience("someone-else")),
                tokens.nested(tokens.claims(user).issuer("https://elsewhere.test")),
                tokens.nested(tokens.claims(user).expiresAt(Instant.now().minus(5, ChronoUnit.MINUTES))) }) {
            unauthorized(given().auth().oauth2(token).get("/caller/unguarded").then());
        }
    }

    @Test
    void subjectThatIsNotAUserIdIsA401Problem() {
        String token = tokens.nested(tokens.claims(UUID.randomUUID()).subject("admin"));

        unauthorized(given().auth().oauth2(token).get("/caller/unguarded").then());
    }

    private static void unauthorized(ValidatableResponse response) {
        response.statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }
}
