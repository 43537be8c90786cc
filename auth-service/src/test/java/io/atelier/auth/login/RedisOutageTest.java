package io.atelier.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.atelier.platform.testing.LocalSuite;
import io.micrometer.core.instrument.MeterRegistry;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Stops the real Redis (by pid, through ./atelier): sign-in must keep working, and say so in a metric. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
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
