package io.atelier.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.InjectPrivateRedis;
import io.atelier.platform.testing.PrivateRedis;
import io.atelier.platform.testing.RealServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Kills this class's own Redis (the shared one, used by every other test, stays up): sign-up and
 * sign-in keep working unthrottled, and say so in a metric; limits hold again once Redis is back.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
@WithTestResource(PrivateRedis.class)
class RedisOutageTest {

    @InjectPrivateRedis
    PrivateRedis redis;

    @Inject
    MeterRegistry metrics;

    @AfterEach
    void redisIsBack() {
        if (!redis.running()) {
            redis.restart();
        }
    }

    @Test
    void signInWorksWhileRedisIsDown() {
        Api api = new Api();
        Api.Session account = api.signup();
        double before = unavailable();

        redis.kill();
        new Api().signup();
        api.login(account.email(), Api.PASSWORD);
        api.request().body(Map.of("email", account.email(), "password", "wrong")).post("/api/v1/auth/login")
                .then().statusCode(401);

        assertThat(unavailable()).isGreaterThan(before);
    }

    @Test
    void limitsHoldAgainOnceRedisIsBack() {
        redis.kill();
        redis.restart();
        Api.Session account = new Api().signup();
        Api guesser = new Api();
        for (int i = 0; i < 5; i++) {
            guesser.request().body(Map.of("email", account.email(), "password", "guess " + i)).post("/api/v1/auth/login")
                    .then().statusCode(401);
        }
        guesser.request().body(Map.of("email", account.email(), "password", "guess 6")).post("/api/v1/auth/login")
                .then().statusCode(429);
    }

    private double unavailable() {
        return Search.in(metrics).name("atelier.ratelimit.unavailable").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
