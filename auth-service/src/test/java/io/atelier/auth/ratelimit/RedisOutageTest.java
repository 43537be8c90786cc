package io.atelier.auth.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.atelier.platform.testing.LocalSuite;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** Stops the real Redis (by pid, through ./atelier): sign-in must keep working, and say so in a metric. */
@QuarkusTest
class RedisOutageTest {

    final LocalSuite suite = LocalSuite.find();

    @Inject
    MeterRegistry metrics;

    @AfterEach
    void redisIsBack() {
        suite.start("redis");
    }

    @Test
    void loginWorksWhileRedisIsDown() {
        Api api = new Api();
        Api.Session account = api.signup();
        double before = metrics.counter("atelier.auth.ratelimit.unavailable").count();

        suite.stop("redis");
        api.login(account.email(), Api.PASSWORD);
        api.request().body(java.util.Map.of("email", account.email(), "password", "wrong")).post("/api/v1/auth/login")
                .then().statusCode(401);

        assertThat(metrics.counter("atelier.auth.ratelimit.unavailable").count()).isGreaterThan(before);
    }
}
