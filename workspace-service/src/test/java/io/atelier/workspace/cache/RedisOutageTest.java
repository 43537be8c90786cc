package io.atelier.workspace.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.InjectPrivateRedis;
import io.atelier.platform.testing.PrivateRedis;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.users.UserDirectory;
import io.atelier.workspace.support.KnownUsers;
import io.atelier.workspace.support.Person;
import io.atelier.workspace.support.SmallInviteLimit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Redis of this class's own (the shared one stays up): killed or frozen, the API keeps answering from
 * PostgreSQL, says so in a metric, and shows every change at once; once Redis is back the invalidations
 * it missed are applied and the cache serves again. Also the invitation limit (small here), which lives
 * in the same Redis.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
@WithTestResource(SmallInviteLimit.class)
@WithTestResource(PrivateRedis.class)
class RedisOutageTest {

    TokenForge tokens;

    @InjectPrivateRedis
    PrivateRedis redis;

    @Inject
    MeterRegistry metrics;

    @Inject
    WorkspaceCache cache;

    @Inject
    RedisDataSource redisClient;

    @Inject
    UserDirectory directory;

    @AfterEach
    void redisIsBack() {
        if (!redis.running()) {
            redis.restart();
        }
    }

    @Test
    void theApiAnswersFromPostgresAndShowsEveryChangeWhileRedisIsDown() {
        Person ada = Person.newPerson(tokens);
        UUID first = ada.projectId("Before the outage");
        assertThat(names(ada)).containsExactly("Before the outage"); // now cached
        double before = unavailable();

        redis.kill();
        assertThat(names(ada)).containsExactly("Before the outage");
        UUID second = ada.projectId("During the outage");
        ada.request().body(Map.of("name", "Renamed during")).put("/api/v1/projects/" + first).then().statusCode(200);
        assertThat(names(ada)).containsExactly("During the outage", "Renamed during");
        ada.request().get("/api/v1/projects/" + second).then().statusCode(200).body("role", equalTo("OWNER"));
        ada.request().get(Person.collaborators(second)).then().statusCode(200);
        assertThat(unavailable()).isGreaterThan(before);
        assertThat(cache.pendingInvalidations()).isPositive();

        redis.restart();
        await().atMost(Duration.ofSeconds(15)).until(() -> cache.pendingInvalidations() == 0);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(names(ada)).containsExactly("During the outage", "Renamed during");
            assertThat(redisClient.key().exists(WorkspaceCache.PROJECTS + ada.id())).isTrue();
        });
    }

    @Test
    void aFrozenRedisDelaysARequestByNoMoreThanTheTimeout() {
        Person ada = Person.newPerson(tokens);
        ada.projectId("Patience");
        names(ada);
        redis.freeze();
        try {
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThat(names(ada)).containsExactly("Patience");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            }
            long start = System.nanoTime();
            ada.projectId("Written while frozen");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(names(ada)).containsExactly("Written while frozen", "Patience");
        } finally {
            redis.thaw();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> cache.pendingInvalidations() == 0);
        assertThat(names(ada)).containsExactly("Written while frozen", "Patience");
    }

    @Test
    void invitationsBeyondTheLimitAre429WithRetryAfter() {
        try (KnownUsers users = new KnownUsers(tokens, directory)) {
            Person ada = users.create("Ada");
            UUID project = ada.projectId("Popular");
            for (int i = 0; i < SmallInviteLimit.LIMIT; i++) {
                ada.invite(project, users.create("Guest " + i), "VIEWER");
            }
            Person late = users.create("Late");
            ada.request().body(Map.of("userId", late.id(), "role", "VIEWER")).post(Person.collaborators(project))
                    .then().statusCode(429).contentType("application/problem+json")
                    .body("type", equalTo("tag:atelier.dev,2026:problem:rate-limited"))
                    .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"));
            // The limit is the inviter's: another owner still invites.
            Person bob = users.create("Bob");
            bob.invite(bob.projectId("Bob's"), late, "VIEWER");
            ada.request().get(Person.collaborators(project)).then().statusCode(200)
                    .body("items.size()", equalTo(SmallInviteLimit.LIMIT + 1));
        }
    }

    private static List<String> names(Person person) {
        return person.request().get("/api/v1/projects").then().statusCode(200).extract().jsonPath()
                .getList("items.name", String.class);
    }

    private double unavailable() {
        return Search.in(metrics).name("atelier.workspace.cache.unavailable").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
