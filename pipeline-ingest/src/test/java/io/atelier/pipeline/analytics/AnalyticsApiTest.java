package io.atelier.pipeline.analytics;

import static io.atelier.pipeline.support.LakeRecords.domain;
import static io.atelier.pipeline.support.LakeRecords.enriched;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.atelier.pipeline.lake.LakeConfig;
import io.atelier.pipeline.lake.LakeLoader;
import io.atelier.pipeline.lake.Manifest;
import io.atelier.pipeline.support.LakeContents;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The query API over a known data set loaded through Kafka into this run's lake, on a day in the past no other test
 * writes: every answer below is computed by hand from the events in {@link #load()}.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "pipeline-ingest"))
@WithTestResource(TestTokenKeys.class)
class AnalyticsApiTest {

    private static final String PROBLEM = "application/problem+json";

    TokenForge tokens;
    @Inject
    LakeLoader loader;
    @Inject
    LakeConfig config;
    @Inject
    Manifest manifest;

    private static boolean loaded;
    private static LocalDate day;
    private static String from;
    private static String to;
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();
    private static final String C = UUID.randomUUID().toString();

    @BeforeEach
    void loadOnce() {
        if (!loaded) {
            load();
            loaded = true;
        }
    }

    /**
     * Day D, T = D 10:00 UTC. A: page_view /home T, user_action signup /signup T+5m, page_view /pricing T+70m,
     * user_action purchase /checkout T+80m. B: page_view /home T+10m, user_action signup T+15m, user_action purchase
     * T+3h. C: page_view /home T+20m, page_view /pricing T+25m, user_action click /home D+1 10:00. content.events:
     * post created by A T+1m, by B T+2m, post deleted by A T+3m; workspace.events: project created by C T+4m.
     */
    private void load() {
        await().atMost(Duration.ofSeconds(60)).until(() -> loader.assigned().size() == config.loader().topics().size() * 3);
        day = LocalDate.of(1990, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(11_000));
        from = day.toString();
        to = day.plusDays(2).toString();
        Instant t = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(10));
        List<ProducerRecord<String, String>> records = new ArrayList<>(List.of(
                enriched("page_view", t, A, Map.of("page", "/home")),
                enriched("user_action", t.plus(Duration.ofMinutes(5)), A, Map.of("action", "signup", "page", "/signup")),
                enriched("page_view", t.plus(Duration.ofMinutes(70)), A, Map.of("page", "/pricing")),
                enriched("user_action", t.plus(Duration.ofMinutes(80)), A, Map.of("action", "purchase", "page", "/checkout")),
                enriched("page_view", t.plus(Duration.ofMinutes(10)), B, Map.of("page", "/home")),
                enriched("user_action", t.plus(Duration.ofMinutes(15)), B, Map.of("action", "signup")),
                enriched("user_action", t.plus(Duration.ofHours(3)), B, Map.of("action", "purchase")),
                enriched("page_view", t.plus(Duration.ofMinutes(20)), C, Map.of("page", "/home")),
                enriched("page_view", t.plus(Duration.ofMinutes(25)), C, Map.of("page", "/pricing")),
                enriched("user_action", t.plus(Duration.ofDays(1)), C, Map.of("action", "click", "page", "/home"))));
        String post1 = UUID.randomUUID().toString();
        String post2 = UUID.randomUUID().toString();
        records.add(domain(Topics.CONTENT_EVENTS, UUID.randomUUID().toString(), "content.post.created", "content-service",
                post1, t.plus(Duration.ofMinutes(1)), Map.of("postId", post1, "authorId", A, "title", "a")));
        records.add(domain(Topics.CONTENT_EVENTS, UUID.randomUUID().toString(), "content.post.created", "content-service",
                post2, t.plus(Duration.ofMinutes(2)), Map.of("postId", post2, "authorId", B, "title", "b")));
        records.add(domain(Topics.CONTENT_EVENTS, UUID.randomUUID().toString(), "content.post.deleted", "content-service",
                post1, t.plus(Duration.ofMinutes(3)), Map.of("postId", post1, "authorId", A)));
        String project = UUID.randomUUID().toString();
        records.add(domain(Topics.WORKSPACE_EVENTS, UUID.randomUUID().toString(), "workspace.project.created",
                "workspace-service", project, t.plus(Duration.ofMinutes(4)), Map.of("projectId", project, "ownerId", C)));
        List<String> ids = records.stream().map(r -> new String(r.headers().lastHeader("ce_id").value())).toList();
        try (CloudEventWriter writer = CloudEventWriter.local()) {
            records.forEach(writer::send);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> LakeContents.rows(manifest, config, ids).size() == ids.size());
    }

    private RequestSpecification as(String userId, String... groups) {
        var claims = tokens.claims(UUID.fromString(userId));
        if (groups.length > 0) {
            claims.groups(Set.of(groups));
        }
        return given().header("Authorization", "Bearer " + tokens.nested(claims));
    }

    private RequestSpecification analyst() {
        return as(UUID.randomUUID().toString(), "analytics");
    }

    private String bucket(int plusDays, int hour) {
        return day.plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(hour)).toString();
    }

    @Test
    void countsByHourForAnAnalystCoverEveryUser() {
        analyst().queryParam("from", from).queryParam("to", to).queryParam("interval", "hour")
                .get("/api/v1/analytics/events/counts").then().statusCode(200)
                .body("interval", equalTo("hour"))
                .body("points.bucket", contains(bucket(0, 10), bucket(0, 11), bucket(0, 13), bucket(1, 10)))
                .body("points.count", contains(6, 2, 1, 1)).body("truncated", equalTo(false));
    }

    @Test
    void countsOverARangeNotOnWholeHoursComeFromTheFiles() {
        // [T+10m, T+3h30m): not whole hours, so the files answer (the hour counts cannot split an hour).
        analyst().queryParam("from", bucket(0, 10).replace(":00:00Z", ":10:00Z"))
                .queryParam("to", bucket(0, 13).replace(":00:00Z", ":30:00Z")).queryParam("interval", "hour")
                .get("/api/v1/analytics/events/counts").then().statusCode(200)
                .body("points.bucket", contains(bucket(0, 10), bucket(0, 11), bucket(0, 13)))
                .body("points.count", contains(4, 2, 1));
    }

    @Test
    void hourCountsAnswerLikeTheFilesAndStepAsideForAFileWithout() throws Exception {
        // This run's lake: every file the loader wrote has its hour counts, so an analyst's day series comes from them.
        var range = new QueryParameters.Range(day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                day.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());
        var byType = manifest.countsFromHours(config.name(), range.firstDay(), range.lastDay(),
                day.atStartOfDay(), day.plusDays(2).atStartOfDay(), "day", Topics.EVENTS_ENRICHED, null,
                Manifest.HourGroup.TYPE, 100).orElseThrow();
        assertThat(byType).extracting(c -> c.bucket() + " " + c.group() + " " + c.rows()).containsExactly(
                bucket(0, 0) + " page_view 5", bucket(0, 0) + " user_action 4", bucket(1, 0) + " user_action 1");
        var contentByTopic = manifest.countsFromHours(config.name(), range.firstDay(), range.lastDay(),
                day.atStartOfDay(), day.plusDays(2).atStartOfDay(), "hour", Topics.CONTENT_EVENTS, null,
                Manifest.HourGroup.TOPIC, 100).orElseThrow();
        assertThat(contentByTopic).extracting(c -> c.bucket() + " " + c.group() + " " + c.rows())
                .containsExactly(bucket(0, 10) + " content.events 3");

        // Another lake (its own name) holding one file recorded without hour counts: they do not answer for its days.
        String lake = "hours-" + UUID.randomUUID();
        LocalDate other = LocalDate.of(1985, 6, 1);
        String counted = "date=" + other + "/type=page_view/a.parquet";
        String uncounted = "date=" + other + "/type=user_action/b.parquet";
        try {
            assertThat(manifest.commitBatch(lake, Map.of(), List.of(
                    new Manifest.Entry(counted, null, other, "page_view", 2, 10, "pending",
                            List.of(new Manifest.HourCount(other.atTime(9, 0), Topics.EVENTS_ENRICHED, 2))),
                    new Manifest.Entry(uncounted, null, other, "user_action", 1, 10, "pending")))).isTrue();
            manifest.markLive(lake, List.of(counted, uncounted));
            assertThat(manifest.countsFromHours(lake, other, other, other.atStartOfDay(), other.plusDays(1).atStartOfDay(),
                    "hour", Topics.EVENTS_ENRICHED, null, Manifest.HourGroup.NONE, 100)).isEmpty();
            assertThat(manifest.countsFromHours(lake, other.minusDays(1), other.minusDays(1), other.minusDays(1).atStartOfDay(),
                    other.atStartOfDay(), "hour", Topics.EVENTS_ENRICHED, null, Manifest.HourGroup.NONE, 100)).contains(List.of());
        } finally {
            manifest.expire(lake, "page_view", other.plusDays(1));
            manifest.expire(lake, "user_action", other.plusDays(1));
            manifest.forget(lake, List.of(counted, uncounted)); // their hour counts go with them
        }
    }

    @Test
    void countsGroupByTypeAndFilterByEventType() {
        analyst().queryParam("from", from).queryParam("to", day.plusDays(1).toString()).queryParam("interval", "hour")
                .queryParam("groupBy", "type").get("/api/v1/analytics/events/counts").then().statusCode(200)
                .body("points.findAll { it.bucket == '" + bucket(0, 10) + "' }.group", contains("page_view", "user_action"))
                .body("points.findAll { it.bucket == '" + bucket(0, 10) + "' }.count", contains(4, 2));
        analyst().queryParam("from", from).queryParam("to", to).queryParam("interval", "day").queryParam("eventType", "page_view")
                .get("/api/v1/analytics/events/counts").then().statusCode(200)
                .body("points.bucket", contains(bucket(0, 0))).body("points.count", contains(5));
        analyst().queryParam("from", from).queryParam("to", to).queryParam("interval", "day").queryParam("groupBy", "data.page")
                .queryParam("eventType", "page_view").get("/api/v1/analytics/events/counts").then().statusCode(200)
                .body("points.group", contains("/home", "/pricing")).body("points.count", contains(3, 2));
    }

    @Test
    void aUserSeesOnlyTheirOwnEvents() {
        as(A).queryParam("from", from).queryParam("to", to).queryParam("interval", "day")
                .get("/api/v1/analytics/events/counts").then().statusCode(200)
                .body("points.bucket", contains(bucket(0, 0))).body("points.count", contains(4));
        as(B).queryParam("from", from).queryParam("to", to).queryParam("interval", "day")
                .get("/api/v1/analytics/events/counts").then().statusCode(200).body("points.count", contains(3));
        as(UUID.randomUUID().toString()).queryParam("from", from).queryParam("to", to)
                .get("/api/v1/analytics/events/counts").then().statusCode(200).body("points", empty());
        as(A).queryParam("field", "user_id").queryParam("from", from).queryParam("to", to)
                .get("/api/v1/analytics/top").then().statusCode(200).body("items.value", contains(A));
        as(A).queryParam("topic", "content.events").queryParam("from", from).queryParam("to", to)
                .get("/api/v1/analytics/domain/counts").then().statusCode(200)
                .body("points.group", contains("content.post.created", "content.post.deleted")).body("points.count", contains(1, 1));
    }

    @Test
    void activeUsersPerDay() {
        analyst().queryParam("from", from).queryParam("to", to).get("/api/v1/analytics/users/active").then().statusCode(200)
                .body("interval", equalTo("day")).body("points.bucket", contains(bucket(0, 0), bucket(1, 0)))
                .body("points.users", contains(3, 1));
        as(C).queryParam("from", from).queryParam("to", to).get("/api/v1/analytics/users/active").then().statusCode(200)
                .body("points.users", contains(1, 1));
    }

    @Test
    void topValuesOfADataField() {
        analyst().queryParam("field", "data.page").queryParam("from", from).queryParam("to", to).queryParam("limit", "2")
                .get("/api/v1/analytics/top").then().statusCode(200).body("field", equalTo("data.page"))
                .body("items.value", contains("/home", "/pricing")).body("items.count", contains(4, 2));
        analyst().queryParam("field", "type").queryParam("from", from).queryParam("to", to)
                .get("/api/v1/analytics/top").then().statusCode(200)
                .body("items.value", contains("page_view", "user_action")).body("items.count", contains(5, 5)); // a tie: by value
    }

    @Test
    void funnelCountsUsersReachingEachStepInOrderWithinTheWindow() {
        analyst().queryParam("steps", "page_view,user_action:signup,user_action:purchase").queryParam("within", "1h")
                .queryParam("from", from).queryParam("to", to).get("/api/v1/analytics/funnel").then().statusCode(200)
                .body("steps.step", contains("page_view", "user_action:signup", "user_action:purchase"))
                .body("steps.users", contains(3, 2, 0));
        analyst().queryParam("steps", "page_view,user_action:signup,user_action:purchase").queryParam("within", "2h")
                .queryParam("from", from).queryParam("to", to).get("/api/v1/analytics/funnel").then().statusCode(200)
                .body("steps.users", contains(3, 2, 1));
    }

    @Test
    void domainCountsPerTypeAndDay() {
        analyst().queryParam("topic", "content.events").queryParam("from", from).queryParam("to", to)
                .get("/api/v1/analytics/domain/counts").then().statusCode(200).body("topic", equalTo("content.events"))
                .body("points.group", contains("content.post.created", "content.post.deleted"))
                .body("points.count", contains(2, 1)).body("points.bucket", contains(bucket(0, 0), bucket(0, 0)));
        analyst().queryParam("topic", "workspace.events").queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "data.ownerId").get("/api/v1/analytics/domain/counts").then().statusCode(200)
                .body("points.group", contains(C)).body("points.count", contains(1));
    }

    @Test
    void aRangeWithoutFilesAnswersEmpty() {
        analyst().queryParam("from", "1980-01-01").queryParam("to", "1980-01-02").get("/api/v1/analytics/events/counts")
                .then().statusCode(200).body("points", empty());
    }

    @Test
    void withoutATokenItIs401() {
        given().get("/api/v1/analytics/events/counts").then().statusCode(401).contentType(PROBLEM);
        given().header("Authorization", "Bearer not-a-token").get("/api/v1/analytics/top?field=type").then().statusCode(401)
                .contentType(PROBLEM);
    }

    @Test
    void badParametersAre400ProblemsNamingThem() {
        Map<String, Map<String, String>> cases = Map.ofEntries(
                Map.entry("interval", Map.of("interval", "second")),
                Map.entry("from", Map.of("from", "2020-01-02", "to", "2020-01-01")),
                Map.entry("to", Map.of("from", "2020-01-01", "to", "2022-01-01")));
        cases.forEach((field, params) -> analyst().queryParams(params).get("/api/v1/analytics/events/counts").then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo(field)));
        analyst().queryParam("from", "2020-01-01").queryParam("to", "2020-02-01").queryParam("interval", "minute")
                .get("/api/v1/analytics/events/counts").then().statusCode(400).body("errors[0].field", equalTo("interval"));
        analyst().get("/api/v1/analytics/top").then().statusCode(400).body("errors[0].field", equalTo("field"));
        analyst().queryParam("field", "payload").get("/api/v1/analytics/top").then().statusCode(400)
                .body("errors[0].field", equalTo("field"));
        analyst().queryParam("field", "type").queryParam("limit", "0").get("/api/v1/analytics/top").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        analyst().queryParam("field", "type").queryParam("limit", "101").get("/api/v1/analytics/top").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        analyst().queryParam("steps", "page_view").get("/api/v1/analytics/funnel").then().statusCode(400)
                .body("errors[0].field", equalTo("steps"));
        analyst().queryParam("steps", "a,b").queryParam("within", "31d").get("/api/v1/analytics/funnel").then().statusCode(400)
                .body("errors[0].field", equalTo("within"));
        analyst().get("/api/v1/analytics/domain/counts").then().statusCode(400).body("errors[0].field", equalTo("topic"));
        analyst().queryParam("topic", "events.enriched").get("/api/v1/analytics/domain/counts").then().statusCode(400)
                .body("errors[0].field", equalTo("topic"));
        analyst().queryParam("interval", "week").get("/api/v1/analytics/events/counts").then().statusCode(400)
                .body("errors[0].field", equalTo("interval"));
    }

    @Test
    void sqlInjectionInEveryParameterIsRefused() {
        String attack = "x' OR '1'='1'; DROP TABLE lake_file; --";
        List<Object[]> cases = List.of(
                new Object[] { "/events/counts", "from", attack }, new Object[] { "/events/counts", "to", attack },
                new Object[] { "/events/counts", "interval", "hour'); --" },
                new Object[] { "/events/counts", "eventType", attack },
                new Object[] { "/events/counts", "groupBy", "data.page') OR 1=1 --" },
                new Object[] { "/events/counts", "groupBy", "type; DROP TABLE x" },
                new Object[] { "/users/active", "interval", "day' --" },
                new Object[] { "/users/active", "from", "2020-01-01' --" },
                new Object[] { "/top", "field", "data.a$.b" }, new Object[] { "/top", "field", "data.page' --" },
                new Object[] { "/top", "limit", "1; DROP TABLE x" }, new Object[] { "/top", "eventType", attack },
                new Object[] { "/funnel", "steps", "page_view,x' OR 1=1 --" }, new Object[] { "/funnel", "within", "1h'; --" },
                new Object[] { "/domain/counts", "topic", "content.events' --" },
                new Object[] { "/domain/counts", "groupBy", "data.status') --" },
                new Object[] { "/domain/counts", "interval", attack });
        for (Object[] c : cases) {
            RequestSpecification request = analyst().queryParam((String) c[1], c[2]);
            if (c[0].equals("/top") && !c[1].equals("field")) {
                request.queryParam("field", "type");
            }
            if (c[0].equals("/funnel") && !c[1].equals("steps")) {
                request.queryParam("steps", "page_view,user_action");
            }
            if (c[0].equals("/domain/counts") && !c[1].equals("topic")) {
                request.queryParam("topic", "content.events");
            }
            request.get("/api/v1/analytics" + c[0]).then().statusCode(400).contentType(PROBLEM)
                    .body("errors[0].field", equalTo(c[1])).body("errors", hasSize(1));
        }
        // A quote is not in a step value's syntax either (step values are bound all the same).
        analyst().queryParam("steps", "page_view,user_action:x'or'1'").get("/api/v1/analytics/funnel").then().statusCode(400);
    }
}
