package io.atelier.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.atelier.platform.ratelimit.fixture.LimitedResource;
import io.atelier.platform.testing.SharedRedis;
import io.atelier.platform.testing.MovableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The script's behaviour on the real shared Redis. The app's clock stands still unless a test moves it,
 * so every duration below is exact. Each test uses its own subjects (and, where it counts metrics, limits).
 */
@QuarkusTest
@WithTestResource(SharedRedis.class)
class RateLimiterTest {

    /** One cell every 12 s, 5 at once. */
    private static final RateLimit FIVE_PER_MINUTE = RateLimit.of("test-five", 5, Duration.ofMinutes(1));

    @Inject
    RateLimiter limiter;

    @Inject
    ReactiveRateLimiter reactiveLimiter;

    @Inject
    MovableClock clock;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry metrics;

    @Test
    void allowsTheBurstThenDeniesUntilACellComesBack() {
        String subject = unique();
        for (int i = 0; i < 5; i++) {
            Decision decision = limiter.acquire(FIVE_PER_MINUTE, subject);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.failedOpen()).isFalse();
            assertThat(decision.remaining()).isEqualTo(4 - i);
            assertThat(decision.retryAfter()).isZero();
            assertThat(decision.resetAfter()).isEqualTo(Duration.ofSeconds(12L * (i + 1)));
        }

        Decision denied = limiter.acquire(FIVE_PER_MINUTE, subject);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.failedOpen()).isFalse();
        assertThat(denied.remaining()).isZero();
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(denied.retryAfterSeconds()).isEqualTo(12);
        assertThat(denied.resetAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void retryAfterIsExactAsTheClockMoves() {
        String subject = unique();
        exhaust(FIVE_PER_MINUTE, subject);

        clock.advance(Duration.ofMillis(7_500));
        Decision denied = limiter.acquire(FIVE_PER_MINUTE, subject);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(4_500));
        assertThat(denied.retryAfterSeconds()).isEqualTo(5);

        clock.advance(Duration.ofMillis(4_499));
        Decision justBefore = limiter.acquire(FIVE_PER_MINUTE, subject);
        assertThat(justBefore.allowed()).isFalse();
        assertThat(justBefore.retryAfter()).isEqualTo(Duration.ofMillis(1));
        assertThat(justBefore.retryAfterSeconds()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        Decision onTime = limiter.acquire(FIVE_PER_MINUTE, subject);
        assertThat(onTime.allowed()).isTrue();
        assertThat(onTime.remaining()).isZero();
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).retryAfter()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void afterTheBurstOneRequestPerEmissionIntervalThenTheFullBurstOnceIdle() {
        String subject = unique();
        exhaust(FIVE_PER_MINUTE, subject);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(12));
            assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).allowed()).as("request %d on time", i).isTrue();
            assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).allowed()).as("request %d too early", i).isFalse();
        }

        clock.advance(Duration.ofSeconds(6));
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).retryAfter()).isEqualTo(Duration.ofSeconds(6));

        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.peek(FIVE_PER_MINUTE, subject).remaining()).isEqualTo(5);
        exhaust(FIVE_PER_MINUTE, subject);
    }

    @Test
    void aRefundGivesOneCellBackButNeverMoreThanTheBurst() {
        String subject = unique();
        exhaust(FIVE_PER_MINUTE, subject);
        limiter.refund(FIVE_PER_MINUTE, subject);
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).allowed()).isTrue();
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).allowed()).isFalse();

        String fresh = unique();
        limiter.refund(FIVE_PER_MINUTE, fresh);
        limiter.refund(FIVE_PER_MINUTE, fresh, 3);
        exhaust(FIVE_PER_MINUTE, fresh); // still exactly 5: nothing was owed, so nothing was credited

        String partly = unique();
        limiter.acquire(FIVE_PER_MINUTE, partly);
        limiter.acquire(FIVE_PER_MINUTE, partly);
        clock.advance(Duration.ofSeconds(18)); // one and a half cells back already
        limiter.refund(FIVE_PER_MINUTE, partly, 2);
        assertThat(limiter.peek(FIVE_PER_MINUTE, partly).remaining()).isEqualTo(5);
        exhaust(FIVE_PER_MINUTE, partly);
    }

    @Test
    void peekTakesNothing() {
        String subject = unique();
        for (int i = 0; i < 10; i++) {
            Decision peek = limiter.peek(FIVE_PER_MINUTE, subject);
            assertThat(peek.allowed()).isTrue();
            assertThat(peek.remaining()).isEqualTo(5);
        }
        exhaust(FIVE_PER_MINUTE, subject);
        Decision locked = limiter.peek(FIVE_PER_MINUTE, subject);
        assertThat(locked.allowed()).isFalse();
        assertThat(locked.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(locked.resetAfter()).isEqualTo(Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(12));
        assertThat(limiter.peek(FIVE_PER_MINUTE, subject).remaining()).isEqualTo(1);
        assertThat(limiter.peek(FIVE_PER_MINUTE, subject).remaining()).isEqualTo(1);
    }

    @Test
    void subjectsAndLimitsAreIndependent() {
        RateLimit other = RateLimit.of("test-other", 5, Duration.ofMinutes(1));
        String subject = unique();
        exhaust(FIVE_PER_MINUTE, subject);
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).allowed()).isFalse();

        assertThat(limiter.acquire(FIVE_PER_MINUTE, unique()).remaining()).isEqualTo(4);
        assertThat(limiter.acquire(other, subject).remaining()).isEqualTo(4);
    }

    @Test
    void aRequestCanCostSeveralCells() {
        String subject = unique();
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject, 3).remaining()).isEqualTo(2);
        Decision tooMuch = limiter.acquire(FIVE_PER_MINUTE, subject, 3);
        assertThat(tooMuch.allowed()).isFalse();
        assertThat(tooMuch.remaining()).isEqualTo(2);
        assertThat(tooMuch.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject, 2).remaining()).isZero();

        assertThatThrownBy(() -> limiter.acquire(FIVE_PER_MINUTE, subject, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.acquire(FIVE_PER_MINUTE, subject, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetForgetsWhatTheSubjectOwes() {
        String subject = unique();
        exhaust(FIVE_PER_MINUTE, subject);
        limiter.reset(FIVE_PER_MINUTE, subject);
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).remaining()).isEqualTo(4);
    }

    @Test
    void theKeyHoldsTheArrivalTimeAndExpiresWhenNothingIsOwed() {
        String subject = unique();
        String key = "ratelimit-fixture:limit:test-five:" + subject;

        limiter.acquire(FIVE_PER_MINUTE, subject);
        assertThat(redis.value(String.class).get(key)).isEqualTo(Long.toString((clock.millis() + 12_000) * 1000));
        assertThat(redis.key().pttl(key)).isBetween(10_000L, 12_000L);

        limiter.acquire(FIVE_PER_MINUTE, subject, 4);
        assertThat(redis.key().pttl(key)).isBetween(58_000L, 60_000L);

        limiter.refund(FIVE_PER_MINUTE, subject, 5);
        assertThat(redis.key().exists(key)).isFalse();

        limiter.peek(FIVE_PER_MINUTE, subject);
        assertThat(redis.key().exists(key)).as("peek writes nothing").isFalse();
    }

    @Test
    void longSubjectsAreHashedInTheKey() {
        String subject = "x".repeat(300) + unique();
        limiter.acquire(FIVE_PER_MINUTE, subject);
        assertThat(redis.key().exists("ratelimit-fixture:limit:test-five:#" + Subjects.hashed(subject))).isTrue();
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).remaining()).isEqualTo(3);
        assertThatThrownBy(() -> limiter.acquire(FIVE_PER_MINUTE, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentAcquiresNeverExceedTheBurst() throws Exception {
        String subject = unique();
        int attempts = 30;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Decision>> decisions = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(attempts)) {
            for (int i = 0; i < attempts; i++) {
                decisions.add(threads.submit(() -> {
                    start.await();
                    return limiter.acquire(FIVE_PER_MINUTE, subject);
                }));
            }
            start.countDown();
        }
        List<Decision> all = new ArrayList<>();
        for (Future<Decision> decision : decisions) {
            all.add(decision.get());
        }
        assertThat(all).noneMatch(Decision::failedOpen);
        assertThat(all).filteredOn(Decision::allowed).hasSize(5);
    }

    @Test
    void decisionsAreCountedPerLimitAndOutcome() {
        RateLimit counted = RateLimit.of("test-counted-" + UUID.randomUUID().toString().substring(0, 8), 2,
                Duration.ofMinutes(1));
        String subject = unique();
        limiter.acquire(counted, subject);
        limiter.acquire(counted, subject);
        limiter.acquire(counted, subject);
        limiter.peek(counted, subject); // not a decision on a request

        assertThat(metrics.counter("atelier.ratelimit.decisions", "limit", counted.name(), "outcome", "allowed").count())
                .isEqualTo(2.0);
        assertThat(metrics.counter("atelier.ratelimit.decisions", "limit", counted.name(), "outcome", "denied").count())
                .isEqualTo(1.0);
        assertThat(metrics.counter("atelier.ratelimit.unavailable", "limit", counted.name()).count()).isZero();
    }

    @Test
    void theReactiveLimiterSharesTheSameState() {
        String subject = unique();
        assertThat(reactiveLimiter.acquire(FIVE_PER_MINUTE, subject).await().indefinitely().remaining()).isEqualTo(4);
        assertThat(limiter.acquire(FIVE_PER_MINUTE, subject).remaining()).isEqualTo(3);
        reactiveLimiter.refund(FIVE_PER_MINUTE, subject).await().indefinitely();
        assertThat(reactiveLimiter.peek(FIVE_PER_MINUTE, subject).await().indefinitely().remaining()).isEqualTo(4);
    }

    @Test
    void aDeniedRequestIsA429ProblemWithRetryAfter() {
        String subject = unique();
        RestAssured.post("/limited/" + subject).then().statusCode(200);
        RestAssured.post("/limited/" + subject).then().statusCode(200);
        RestAssured.post("/limited/" + subject).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "30")
                .body("status", equalTo(429));
        RestAssured.post("/limited/" + unique()).then().statusCode(200);
        assertThat(LimitedResource.LIMIT.emissionInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    private void exhaust(RateLimit limit, String subject) {
        for (int i = 0; i < limit.burst(); i++) {
            assertThat(limiter.acquire(limit, subject).allowed()).as("cell %d of the burst", i + 1).isTrue();
        }
        assertThat(limiter.acquire(limit, subject).allowed()).as("one past the burst").isFalse();
    }

    private static String unique() {
        return UUID.randomUUID().toString();
    }
}
