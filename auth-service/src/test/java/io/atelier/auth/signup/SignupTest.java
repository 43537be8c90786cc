package io.atelier.auth.signup;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class SignupTest {

    final Api api = new Api();

    @Test
    void signupCreatesAnAccountAndSignsIn() {
        String email = Api.uniqueEmail();
        api.request().body(Map.of("email", "  " + email.toUpperCase() + " ", "password", Api.PASSWORD, "displayName", " Ada "))
                .post("/api/v1/auth/signup")
                .then().statusCode(201)
                .body("user.id", matchesPattern("[0-9a-f-]{36}"))
                .body("user.email", equalTo(email))
                .body("user.displayName", equalTo("Ada"))
                .body("user.createdAt", notNullValue())
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .body("accessToken", matchesPattern("[\\w-]+\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+"))
                .body("refreshToken", matchesPattern("[\\w-]{43}"))
                .body("user.password", equalTo(null))
                .body("user.passwordHash", equalTo(null));
    }

    @Test
    void duplicateEmailIsAConflictWhateverItsCase() {
        String email = Api.uniqueEmail();
        api.signup(email, Api.PASSWORD, "First");
        api.request().body(Map.of("email", email.toUpperCase(), "password", Api.PASSWORD, "displayName", "Second"))
                .post("/api/v1/auth/signup")
                .then().statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409)).body("title", equalTo("Email already registered"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not-an-email|" + Api.PASSWORD + "|Ada|email",
            "''|" + Api.PASSWORD + "|Ada|email",
            "a@example.com|short|Ada|password",
            "a@example.com|" + Api.PASSWORD + "|'   '|displayName"})
    void invalidFieldsAreNamedInTheProblem(String email, String password, String displayName, String field) {
        api.request().body(Map.of("email", email, "password", password, "displayName", displayName))
                .post("/api/v1/auth/signup")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));
    }

    @Test
    void passwordLongerThan128CharactersIsRejected() {
        api.request().body(Map.of("email", Api.uniqueEmail(), "password", "x".repeat(129), "displayName", "Ada"))
                .post("/api/v1/auth/signup")
                .then().statusCode(400).body("errors.field", hasItem("password"));
    }

    @Test
    void missingBodyIsABadRequest() {
        api.request().post("/api/v1/auth/signup").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void malformedJsonIsABadRequestWithoutInternals() {
        api.request().body("{\"email\": \"a@example.com\", ").post("/api/v1/auth/signup")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Malformed request body"))
                .body("detail", equalTo("The body is not valid JSON."));
    }

    @Test
    void unknownFieldIsRejectedByName() {
        api.request().body(Map.of("email", Api.uniqueEmail(), "password", Api.PASSWORD, "displayName", "Ada", "admin", true))
                .post("/api/v1/auth/signup")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("admin"));
    }

    @Test
    void wrongFieldTypeIsABadRequest() {
        api.request().body("{\"email\": [\"a@example.com\"], \"password\": \"" + Api.PASSWORD + "\", \"displayName\": \"A\"}")
                .post("/api/v1/auth/signup")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("email"));
    }

    @Test
    void wrongContentTypeIsUnsupported() {
        api.request().contentType("text/plain").body("email=a@example.com").post("/api/v1/auth/signup")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
    }

    @Test
    void oversizedBodyIsRejectedBeforeItIsRead() {
        String huge = "{\"email\":\"a@example.com\",\"password\":\"" + "x".repeat(20_000) + "\",\"displayName\":\"A\"}";
        api.request().body(huge).post("/api/v1/auth/signup")
                .then().statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
    }

    @Test
    void unknownPathIsAProblem404() {
        api.request().get("/api/v1/auth/nothing-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("Nothing here"));
    }
}
