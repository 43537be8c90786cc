package io.atelier.auth.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Production limits (5 failures), but a 3 s window so recovery is observable in a test. */
@QuarkusTest
@TestProfile(LoginThrottlingTest.ShortWindows.class)
class LoginThrottlingTest {

    public static class ShortWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("atelier.auth.limits.login-window", "3s", "atelier.auth.limits.signup-window", "3s",
                    "atelier.auth.limits.signups-per-ip", "3");
        }
    }

    @Test
    void bruteForceOnOneAccountIsThrottledThenRecovers() {
        Api victim = new Api();
        Api.Session account = victim.signup();
        for (int i = 0; i < 5; i++) {
            // every guess from a different address: the per-account limit must still hold
            loginStatus(new Api(), account.email(), "guess " + i, 401);
        }
        var throttled = new Api().request().body(Map.of("email", account.email(), "password", Api.PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(429).contentType("application/problem+json")
                .body("status", equalTo(429)).extract();
        assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 3);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> loginStatus(new Api(), account.email(), Api.PASSWORD) == 200);
    }

    @Test
    void oneAddressGuessingManyAccountsIsThrottled() {
        Api attacker = new Api();
        for (int i = 0; i < 5; i++) {
            loginStatus(attacker, Api.uniqueEmail(), "guess", 401);
        }
        loginStatus(attacker, Api.uniqueEmail(), "guess", 429);
        Api.Session someoneElse = new Api().signup();
        new Api().login(someoneElse.email(), Api.PASSWORD); // other addresses are unaffected
    }

    @Test
    void signupsPerAddressAreLimited() {
        Api busy = new Api();
        for (int i = 0; i < 3; i++) {
            busy.signup();
        }
        busy.request().body(Map.of("email", Api.uniqueEmail(), "password", Api.PASSWORD, "displayName", "x"))
                .post("/api/v1/auth/signup").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        new Api().signup();
    }

    @Test
    void successfulLoginResetsTheAccountCounter() {
        Api.Session account = new Api().signup();
        for (int i = 0; i < 4; i++) {
            loginStatus(new Api(), account.email(), "guess " + i, 401);
        }
        new Api().login(account.email(), Api.PASSWORD);
        for (int i = 0; i < 4; i++) {
            loginStatus(new Api(), account.email(), "guess again " + i, 401);
        }
        new Api().login(account.email(), Api.PASSWORD);
    }

    private static void loginStatus(Api api, String email, String password, int expected) {
        assertThat(loginStatus(api, email, password)).isEqualTo(expected);
    }

    private static int loginStatus(Api api, String email, String password) {
        return api.request().body(Map.of("email", email, "password", password)).post("/api/v1/auth/login").statusCode();
    }
}
