package io.atelier.auth.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.atelier.platform.testing.MovableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** The production limits (docs/auth.md); time is moved, not waited for. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class LoginThrottlingTest {

    @Inject
    MeterRegistry metrics;

    final MovableClock clock = new MovableClock();

    @BeforeEach
    void movableTime() {
        QuarkusMock.installMockForType(clock, Clock.class);
    }

    @Test
    void guessesFromOneAddressAreThrottledThereButTheOwnerElsewhereGetsIn() {
        Api.Session account = new Api().signup();
        Api guesser = new Api();
        for (int i = 0; i < 5; i++) {
            loginStatus(guesser, account.email(), "guess " + i, 401);
        }
        var throttled = guesser.request().body(Map.of("email", account.email(), "password", Api.PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(429).contentType("application/problem+json")
                .body("status", equalTo(429)).body("type", equalTo("tag:atelier.dev,2026:problem:rate-limited")).extract();
        // 5 a minute: a cell comes back every 12 s
        assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(11, 12);
        new Api().login(account.email(), Api.PASSWORD); // the owner, from their own address

        clock.advance(Duration.ofSeconds(12));
        loginStatus(guesser, account.email(), Api.PASSWORD, 200);
    }

    @Test
    void guessesSpreadOverManyAddressesMeetTheLooserAccountLimit() {
        Api.Session account = new Api().signup();
        for (int i = 0; i < 20; i++) {
            loginStatus(new Api(), account.email(), "guess " + i, 401);
        }
        loginStatus(new Api(), account.email(), "guess again", 429);
    }

    @Test
    void concurrentGuessesNeverCheckMorePasswordsThanTheLimit() throws Exception {
        Api.Session account = new Api().signup();
        Api guesser = new Api();
        long hashesBefore = metrics.timer("atelier.auth.password.hash").count();
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String guess = "concurrent guess " + i;
                answers.add(pool.submit(() -> loginStatus(guesser, account.email(), guess)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).containsOnly(401, 429);
            assertThat(statuses.stream().filter(s -> s == 401).count()).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(metrics.timer("atelier.auth.password.hash").count() - hashesBefore).isEqualTo(5);
    }

    @Test
    void oneAddressGuessingManyAccountsIsThrottled() {
        Api attacker = new Api();
        for (int i = 0; i < 20; i++) {
            loginStatus(attacker, Api.uniqueEmail(), "guess", 401);
        }
        loginStatus(attacker, Api.uniqueEmail(), "guess", 429);
        Api.Session someoneElse = new Api().signup();
        new Api().login(someoneElse.email(), Api.PASSWORD); // other addresses are unaffected
    }

    @Test
    void signupsPerAddressAreLimited() {
        Api busy = new Api();
        for (int i = 0; i < 30; i++) {
            busy.signup();
        }
        busy.request().body(Map.of("email", Api.uniqueEmail(), "password", Api.PASSWORD, "displayName", "x"))
                .post("/api/v1/auth/signup").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        new Api().signup();
    }

    @Test
    void successfulLoginResetsTheAccountCounter() {
        Api.Session account = new Api().signup();
        Api owner = new Api();
        for (int i = 0; i < 4; i++) {
            loginStatus(owner, account.email(), "guess " + i, 401);
        }
        owner.login(account.email(), Api.PASSWORD);
        for (int i = 0; i < 4; i++) {
            loginStatus(owner, account.email(), "guess again " + i, 401);
        }
        owner.login(account.email(), Api.PASSWORD);
    }

    private static void loginStatus(Api api, String email, String password, int expected) {
        assertThat(loginStatus(api, email, password)).isEqualTo(expected);
    }

    private static int loginStatus(Api api, String email, String password) {
        return api.request().body(Map.of("email", email, "password", password)).post("/api/v1/auth/login").statusCode();
    }
}
