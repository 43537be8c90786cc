package io.atelier.auth.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.ReferenceHashes;
import io.atelier.auth.user.UserRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class LoginTest {

    final Api api = new Api();

    @Inject
    UserRepository users;

    @Test
    void loginWithTheRightPasswordIssuesANewSession() {
        Api.Session signup = api.signup();
        Api.Session login = api.login(signup.email(), Api.PASSWORD);
        assertThat(login.userId()).isEqualTo(signup.userId());
        assertThat(login.refreshToken()).isNotEqualTo(signup.refreshToken());
        api.bearer(login.accessToken()).get("/api/v1/auth/me").then().statusCode(200).body("id", equalTo(signup.userId()));
    }

    @Test
    void emailIsMatchedWhateverItsCaseAndSpacing() {
        Api.Session signup = api.signup();
        api.login("  " + signup.email().toUpperCase() + "  ", Api.PASSWORD);
    }

    @Test
    void unknownEmailAndWrongPasswordGiveTheSameAnswer() {
        Api.Session signup = api.signup();
        ExtractableResponse<Response> wrongPassword = attempt(signup.email(), "not the password");
        ExtractableResponse<Response> unknownEmail = attempt(Api.uniqueEmail(), "not the password");

        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(unknownEmail.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.contentType()).isEqualTo("application/problem+json");
        assertThat(withoutInstance(wrongPassword.asString())).isEqualTo(withoutInstance(unknownEmail.asString()));
        assertThat(wrongPassword.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"atelier\"");
    }

    @ParameterizedTest
    @ValueSource(strings = { ReferenceHashes.ARGON2ID_WEAK, ReferenceHashes.BCRYPT })
    void hashWithOlderParametersIsUpgradedAtLogin(String older) {
        Api.Session signup = api.signup();
        QuarkusTransaction.requiringNew().run(() -> users.findById(java.util.UUID.fromString(signup.userId())).passwordHash = older);

        api.login(signup.email(), Api.PASSWORD);

        String upgraded = QuarkusTransaction.requiringNew().call(
                () -> users.findById(java.util.UUID.fromString(signup.userId())).passwordHash);
        assertThat(upgraded).isNotEqualTo(older).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        api.login(signup.email(), Api.PASSWORD);
    }

    @Test
    void passwordsNeverComeBack() {
        Api.Session signup = api.signup();
        String me = api.bearer(signup.accessToken()).get("/api/v1/auth/me").then().statusCode(200).extract().asString();
        assertThat(me).doesNotContain("argon2").doesNotContain(Api.PASSWORD).doesNotContainIgnoringCase("password");
    }

    @Test
    void missingPasswordIsABadRequest() {
        api.request().body(Map.of("email", Api.uniqueEmail())).post("/api/v1/auth/login")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("password"));
    }

    private ExtractableResponse<Response> attempt(String email, String password) {
        return new Api().request().body(Map.of("email", email, "password", password)).post("/api/v1/auth/login")
                .then().extract();
    }

    private static String withoutInstance(String body) {
        return body.replaceAll("\"requestId\":\"[^\"]*\",?", "");
    }

}
