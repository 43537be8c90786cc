package io.atelier.e2e.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.Accounts;
import io.atelier.e2e.Accounts.Account;
import io.atelier.e2e.RunningSuite;

/**
 * The analytics lake as a user sees it through nginx: events accepted at the intake are counted by the query API within
 * the loader's batch age (30 s by default, docs/pipeline.md) plus a few seconds, and a user counts only their own.
 */
class LakeFreshnessThroughGatewayTest {

    /** The batch age of the suite's loader plus room for the topology's hop and a busy machine. */
    private static final Duration FRESH = Duration.ofSeconds(30 + 20);

    @BeforeAll
    static void suiteIsUp() {
        RunningSuite.ensureUp();
    }

    @Test
    void eventsSentThroughTheGatewayAreCountedWithinTheBatchAgeAndOnlyForTheirSender() {
        Account grace = Accounts.signUp("Grace Lake");
        Account alan = Accounts.signUp("Alan Lake");
        String type = "page_view";
        Instant sent = Instant.now();
        for (int i = 0; i < 3; i++) {
            grace.request().body(event(type, "/lake/" + i)).post("/api/v1/events").then().statusCode(202);
        }
        alan.request().body(event(type, "/lake/alan")).post("/api/v1/events").then().statusCode(202);
        String from = sent.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1)).toString();
        String to = sent.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(5)).toString();

        await().atMost(FRESH).pollInterval(Duration.ofSeconds(1))
                .until(() -> total(grace, type, from, to) == 3);
        Duration freshness = Duration.between(sent, Instant.now());
        assertThat(freshness).isLessThan(FRESH);

        // Alan's event went out at the same moment; by now it is in the lake too, and each sees only their own.
        await().atMost(Duration.ofSeconds(10)).until(() -> total(alan, type, from, to) == 1);
        assertThat(total(grace, type, from, to)).isEqualTo(3);
        grace.request().queryParam("field", "data.page").queryParam("from", from).queryParam("to", to)
                .get("/api/v1/analytics/top").then().statusCode(200)
                .body("items.value", equalTo(List.of("/lake/0", "/lake/1", "/lake/2")));
    }

    @Test
    void aQueryWithBadParametersIsAProblemThroughTheGateway() {
        Account grace = Accounts.signUp("Grace Bad Query");
        grace.request().queryParam("interval", "fortnight").get("/api/v1/analytics/events/counts").then()
                .statusCode(400).contentType("application/problem+json");
        grace.request().queryParam("field", "data.page'; DROP TABLE x; --").get("/api/v1/analytics/top").then()
                .statusCode(400).contentType("application/problem+json");
    }

    private static long total(Account account, String type, String from, String to) {
        List<Integer> counts = account.request().queryParam("from", from).queryParam("to", to)
                .queryParam("interval", "minute").queryParam("eventType", type)
                .get("/api/v1/analytics/events/counts").then().statusCode(200).extract().path("points.count");
        return counts.stream().mapToLong(Integer::longValue).sum();
    }

    private static Map<String, Object> event(String type, String page) {
        return Map.of("event_id", UUID.randomUUID().toString(), "event_type", type, "timestamp", Instant.now().toString(),
                "data", Map.of("page", page), "metadata", Map.of("source", "web", "version", "1.0"));
    }
}
