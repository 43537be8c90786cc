package io.atelier.platform.idempotency;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.MovableClock;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "platform-idempotency-fixture"))
class IdempotentCreatesTest {

    @Inject
    IdempotencyJanitor janitor;

    private static ExtractableResponse<Response> create(String caller, String key, String name) {
        var request = given().contentType(ContentType.JSON).header("X-Caller", caller).body(Map.of("name", name));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/things").then().extract();
    }

    private static long count(String caller) {
        return given().get("/things/count/" + caller).then().statusCode(200).extract().as(Long.class);
    }

    @Test
    void aRepeatedRequestGetsTheFirstAnswerAndCreatesNothing() {
        String caller = UUID.randomUUID().toString();
        String key = UUID.randomUUID().toString();
        var first = create(caller, key, "one");
        var again = create(caller, key, "one");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.header(IdempotentCreates.REPLAYED)).isNull();
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.header(IdempotentCreates.REPLAYED)).isEqualTo("true");
        assertThat(again.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.contentType()).startsWith("application/json");
        assertThat(count(caller)).isEqualTo(1);
    }

    @Test
    void theSameKeyForAnotherRequestIs422() {
        String caller = UUID.randomUUID().toString();
        String key = UUID.randomUUID().toString();
        assertThat(create(caller, key, "one").statusCode()).isEqualTo(201);
        given().contentType(ContentType.JSON).header("X-Caller", caller).header("Idempotency-Key", key)
                .body(Map.of("name", "two")).post("/things")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("tag:atelier.dev,2026:problem:idempotency-key-reused"));
        assertThat(count(caller)).isEqualTo(1);
    }

    @Test
    void keysOfDifferentCallersNeverMeet() {
        String key = UUID.randomUUID().toString();
        String ada = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        assertThat(create(ada, key, "same").statusCode()).isEqualTo(201);
        var bobs = create(bob, key, "same");
        assertThat(bobs.statusCode()).isEqualTo(201);
        assertThat(bobs.header(IdempotentCreates.REPLAYED)).isNull();
        assertThat(count(ada)).isEqualTo(1);
        assertThat(count(bob)).isEqualTo(1);
    }

    @Test
    void concurrentRepeatsCreateOnceAndAllGetTheSameAnswer() throws Exception {
        String caller = UUID.randomUUID().toString();
        String key = UUID.randomUUID().toString();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<CompletableFuture<ExtractableResponse<Response>>> calls = IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> create(caller, key, "raced"), pool)).toList();
            List<ExtractableResponse<Response>> answers = calls.stream().map(CompletableFuture::join).toList();
            assertThat(answers).extracting(ExtractableResponse::statusCode).containsOnly(201);
            assertThat(answers).extracting(a -> a.jsonPath().getString("id")).containsOnly(answers.get(0).jsonPath().getString("id"));
            assertThat(answers).filteredOn(a -> a.header(IdempotentCreates.REPLAYED) == null).hasSize(1);
        }
        assertThat(count(caller)).isEqualTo(1);
    }

    @Test
    void withoutAKeyEveryRequestCreates() {
        String caller = UUID.randomUUID().toString();
        create(caller, null, "a");
        create(caller, null, "a");
        assertThat(count(caller)).isEqualTo(2);
    }

    @Test
    void aMalformedKeyIs400NamingTheHeader() {
        for (String bad : new String[] { "has space", "x".repeat(256), "tab\tkey", "ünï" }) {
            var answer = given().contentType(ContentType.JSON).header("X-Caller", "c").header("Idempotency-Key", bad)
                    .body(Map.of("name", "n")).post("/things").then().extract();
            assertThat(answer.statusCode()).as("key [%s]", bad).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.jsonPath().getList("errors.field", String.class)).contains("Idempotency-Key");
        }
    }

    @Test
    void aFailedCreateStoresNothingSoARetryRunsAgain() {
        String caller = UUID.randomUUID().toString();
        String key = UUID.randomUUID().toString();
        int before = fixtureAttempts();
        assertThat(create(caller, key, "refused").statusCode()).isEqualTo(409);
        assertThat(create(caller, key, "refused").statusCode()).isEqualTo(409);
        assertThat(fixtureAttempts() - before).isEqualTo(2);
        assertThat(count(caller)).isZero();
    }

    @Test
    void anExpiredKeyCreatesAgain() {
        MovableClock clock = new MovableClock();
        QuarkusMock.installMockForType(clock, Clock.class);
        String caller = UUID.randomUUID().toString();
        String key = UUID.randomUUID().toString();
        create(caller, key, "old");
        clock.advance(Duration.ofHours(25));
        assertThat(janitor.sweep()).isGreaterThanOrEqualTo(1);
        var again = create(caller, key, "old");
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.header(IdempotentCreates.REPLAYED)).isNull();
        assertThat(count(caller)).isEqualTo(2);
    }

    private static int fixtureAttempts() {
        return io.atelier.platform.idempotency.fixture.ThingResource.ATTEMPTS.get();
    }
}
