package io.atelier.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.SharedRedis;
import io.atelier.platform.testing.InjectPrivateRedis;
import io.atelier.platform.testing.PrivateRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Redis killed, frozen and back, on a private server of this class (the shared one stays up): requests
 * are allowed meanwhile, quickly, and counted; limits hold again once Redis answers.
 */
@QuarkusTest
@WithTestResource(SharedRedis.class) // as a service's global RealServers would be: the private server must win
@WithTestResource(PrivateRedis.class)
class RedisOutageTest {

    private static final RateLimit TWO_PER_MINUTE = RateLimit.of("outage", 2, Duration.ofMinutes(1));

    @InjectPrivateRedis
    PrivateRedis redis;

    @Inject
    RateLimiter limiter;

    @Inject
    RateLimitConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    RedisDataSource commands;

    @AfterEach
    void redisIsBack() {
        if (!redis.running()) {
            redis.restart(); // also when a test failed half-way
        } else {
            redis.thaw(); // harmless on a running server
        }
    }

    @Test
    void failsOpenWhileRedisIsDownAndEnforcesAgainOnceItIsBack() {
        String subject = UUID.randomUUID().toString();
        exhaust(subject); // enforced on the private server
        double unavailableBefore = unavailable();
        double deniedBefore = decisions("denied");

        redis.kill();
        for (int i = 0; i < 5; i++) {
            Decision decision = limiter.acquire(TWO_PER_MINUTE, subject);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.failedOpen()).isTrue();
        }
        assertThat(limiter.peek(TWO_PER_MINUTE, subject).failedOpen()).isTrue();
        limiter.refund(TWO_PER_MINUTE, subject); // neither throws
        limiter.reset(TWO_PER_MINUTE, subject);
        assertThat(unavailable()).isEqualTo(unavailableBefore + 8);
        assertThat(decisions("denied")).isEqualTo(deniedBefore); // a fail-open is not a decision

        // A fresh, empty server that has never seen the script: the limiter loads it again by itself.
        redis.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> scriptCached() != null);
        assertThat(scriptCached()).isFalse();
        assertThat(limiter.acquire(TWO_PER_MINUTE, UUID.randomUUID().toString()).failedOpen()).isFalse();
        assertThat(scriptCached()).isTrue();
        exhaust(subject); // nothing survived the restart: a fresh burst
    }

    @Test
    void aFrozenRedisCostsOneTimeoutNotAHungRequest() {
        String subject = UUID.randomUUID().toString();
        exhaust(subject);
        double unavailableBefore = unavailable();

        redis.freeze();
        long started = System.nanoTime();
        Decision decision = limiter.acquire(TWO_PER_MINUTE, subject);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(decision.failedOpen()).isTrue();
        assertThat(decision.allowed()).isTrue();
        assertThat(took).isGreaterThanOrEqualTo(config.timeout()).isLessThan(config.timeout().plusSeconds(2));
        assertThat(unavailable()).isEqualTo(unavailableBefore + 1);

        redis.thaw();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !limiter.peek(TWO_PER_MINUTE, subject).failedOpen());
        assertThat(limiter.acquire(TWO_PER_MINUTE, subject).allowed()).isFalse();
    }

    private void exhaust(String subject) {
        assertThat(limiter.acquire(TWO_PER_MINUTE, subject).allowed()).isTrue();
        assertThat(limiter.acquire(TWO_PER_MINUTE, subject).allowed()).isTrue();
        Decision denied = limiter.acquire(TWO_PER_MINUTE, subject);
        assertThat(denied.failedOpen()).isFalse();
        assertThat(denied.allowed()).isFalse();
    }

    /** Whether the server has the script cached; null while the app cannot reach it yet. */
    private Boolean scriptCached() {
        try {
            return commands.execute("SCRIPT", "EXISTS", GcraScript.SHA1).get(0).toLong() == 1;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private double unavailable() {
        return metrics.counter("atelier.ratelimit.unavailable", "limit", TWO_PER_MINUTE.name()).count();
    }

    private double decisions(String outcome) {
        return metrics.counter("atelier.ratelimit.decisions", "limit", TWO_PER_MINUTE.name(), "outcome", outcome).count();
    }
}
