package io.atelier.pipeline.intake;

import static io.atelier.pipeline.support.Senders.batch;
import static io.atelier.pipeline.support.Senders.userAction;
import static io.atelier.pipeline.support.Senders.withWriteKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.pipeline.support.Senders;
import io.atelier.pipeline.support.Senders.User;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventRecords;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** The intake on the real servers: what lands on events.raw and events.invalid, and every refusal. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "pipeline-ingest"))
@WithTestResource(TestTokenKeys.class)
class IntakeApiTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String PROBLEM = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    TokenForge tokens;

    private KafkaTopicReader raw;
    private KafkaTopicReader invalid;

    @BeforeEach
    void readTopics() {
        raw = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.EVENTS_RAW);
        invalid = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.EVENTS_INVALID);
    }

    @AfterEach
    void closeReaders() {
        raw.close();
        invalid.close();
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean about(ConsumerRecord<String, String> record, Object eventId) {
        return eventId.equals(CloudEventRecords.header(record, "ce_id"));
    }

    @Test
    void theCallersTraceTravelsWithTheEventOnEventsRaw() {
        User ada = User.newUser(tokens);
        Map<String, Object> event = userAction();
        String id = (String) event.get("event_id");
        String traceId = UUID.randomUUID().toString().replace("-", "");
        ada.request().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").body(event).post("/api/v1/events")
                .then().statusCode(202);

        ConsumerRecord<String, String> record = raw.await(r -> about(r, id), WITHIN).get(0);
        // Both the CloudEvents extension and the record's own W3C header continue the caller's trace (the request's span).
        assertThat(CloudEventRecords.header(record, "ce_traceparent")).startsWith("00-" + traceId + "-");
        assertThat(CloudEventRecords.header(record, "traceparent")).startsWith("00-" + traceId + "-");
        assertThat(CloudEventRecords.header(record, "ce_datacontenttype")).isEqualTo("application/json");
    }

    @Test
    void aUsersEventLandsOnEventsRawAsACloudEventWithTheirIdFilledIn() {
        User ada = User.newUser(tokens);
        Map<String, Object> event = userAction();
        String id = (String) event.get("event_id");
        ada.request().header("X-Request-Id", "ingest-test-1").body(event).post("/api/v1/events").then().statusCode(202)
                .body("eventId", equalTo(id)).body("duplicate", equalTo(false));

        ConsumerRecord<String, String> record = raw.await(r -> about(r, id), WITHIN).get(0);
        assertThat(record.key()).isEqualTo(ada.id().toString());
        assertThat(CloudEventRecords.header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(CloudEventRecords.header(record, "ce_type")).isEqualTo("pipeline.event.received");
        assertThat(CloudEventRecords.header(record, "ce_source")).isEqualTo("pipeline-ingest");
        assertThat(CloudEventRecords.header(record, "ce_subject")).isEqualTo(id);
        assertThat(Instant.parse(CloudEventRecords.header(record, "ce_time"))).isEqualTo(Instant.parse((String) event.get("timestamp")));
        assertThat(CloudEventRecords.header(record, "ce_sender")).isEqualTo("user:" + ada.id());
        assertThat(CloudEventRecords.header(record, "ce_requestid")).isEqualTo("ingest-test-1");
        assertThat(CloudEventRecords.header(record, "content-type")).isEqualTo("application/json");
        JsonNode body = json(record);
        assertThat(body.path("user_id").asText()).isEqualTo(ada.id().toString());
        assertThat(body.path("data").path("action").asText()).isEqualTo("click");
        assertThat(body.path("metadata").path("version").asText()).isEqualTo("1.0");
    }

    @Test
    void camelCaseEventsAreWrittenInSnakeCase() {
        User ada = User.newUser(tokens);
        String id = UUID.randomUUID().toString();
        Map<String, Object> event = Map.of("eventId", id, "eventType", "page_view", "timestamp", Instant.now().toString(),
                "userId", ada.id().toString(), "data", Map.of("page", "/pricing", "sessionId", "s1"),
                "metadata", Map.of("source", "web", "version", "1.0"));
        ada.request().body(event).post("/api/v1/events").then().statusCode(202);
        JsonNode body = json(raw.await(r -> about(r, id), WITHIN).get(0));
        assertThat(body.path("event_id").asText()).isEqualTo(id);
        assertThat(body.path("event_type").asText()).isEqualTo("page_view");
        assertThat(body.path("data").path("session_id").asText()).isEqualTo("s1");
    }

    @Test
    void aBatchFromAWriteKeyLandsOnEventsRawKeyedByUser() {
        List<Map<String, Object>> events = List.of(userAction("user123"), userAction("user456"), userAction());
        withWriteKey(Senders.WEB_KEY).body(batch(events)).post("/api/v1/events/batch").then().statusCode(200)
                .body("accepted", equalTo(3)).body("duplicates", equalTo(0)).body("rejected", hasSize(0));
        for (Map<String, Object> event : events) {
            ConsumerRecord<String, String> record = raw.await(r -> about(r, event.get("event_id")), WITHIN).get(0);
            assertThat(record.key()).isEqualTo(event.getOrDefault("user_id", event.get("event_id")));
            assertThat(CloudEventRecords.header(record, "ce_sender")).isEqualTo("source:test-web");
            assertThat(json(record).has("user_id")).isEqualTo(event.containsKey("user_id"));
        }
    }

    @Test
    void aMixedBatchAcceptsTheGoodOnesAndRejectsTheBadWithIndexAndErrors() {
        User ada = User.newUser(tokens);
        Map<String, Object> good1 = userAction();
        Map<String, Object> bad = userAction();
        ((Map<String, Object>) bad.get("data")).remove("action");
        Map<String, Object> good2 = userAction();
        Map<String, Object> unknown = userAction();
        unknown.put("event_type", "teleport");
        ada.request().body(batch(List.of(good1, bad, good2, unknown))).post("/api/v1/events/batch").then().statusCode(200)
                .body("accepted", equalTo(2)).body("duplicates", equalTo(0))
                .body("rejected", hasSize(2))
                .body("rejected[0].index", equalTo(1)).body("rejected[0].eventId", equalTo(bad.get("event_id")))
                .body("rejected[0].errors[0].field", equalTo("data.action"))
                .body("rejected[1].index", equalTo(3)).body("rejected[1].errors[0].field", equalTo("event_type"));
        raw.await(r -> about(r, good1.get("event_id")) || about(r, good2.get("event_id")), 2, WITHIN);
        assertThat(raw.records()).noneMatch(r -> about(r, bad.get("event_id")) || about(r, unknown.get("event_id")));

        // Nothing sent is dropped silently: the rejects are on events.invalid with their reasons.
        ConsumerRecord<String, String> rejected = invalid.await(r -> bad.get("event_id").equals(r.key()), WITHIN).get(0);
        assertThat(CloudEventRecords.header(rejected, "ce_type")).isEqualTo("pipeline.event.rejected");
        assertThat(CloudEventRecords.header(rejected, "ce_sender")).isEqualTo("user:" + ada.id());
        JsonNode record = json(rejected);
        assertThat(record.path("index").asInt()).isEqualTo(1);
        assertThat(record.path("errors").get(0).path("field").asText()).isEqualTo("data.action");
        assertThat(record.path("event").path("event_id").asText()).isEqualTo(bad.get("event_id"));
        invalid.await(r -> unknown.get("event_id").equals(r.key()), WITHIN);
    }

    @Test
    void theSameEventTwiceIsADuplicateAndOnTheTopicOnce() {
        User ada = User.newUser(tokens);
        Map<String, Object> event = userAction();
        Object id = event.get("event_id");
        ada.request().body(event).post("/api/v1/events").then().statusCode(202).body("duplicate", equalTo(false));
        ada.request().body(event).post("/api/v1/events").then().statusCode(202).body("duplicate", equalTo(true));
        Map<String, Object> other = userAction();
        ada.request().body(batch(List.of(event, other, other))).post("/api/v1/events/batch").then().statusCode(200)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(2));
        // A marker sent after everything else: once it is read, all earlier records of this test have been too.
        Map<String, Object> marker = userAction();
        ada.request().body(marker).post("/api/v1/events").then().statusCode(202);
        raw.await(r -> about(r, marker.get("event_id")), WITHIN);
        assertThat(raw.records()).filteredOn(r -> about(r, id)).hasSize(1);
        assertThat(raw.records()).filteredOn(r -> about(r, other.get("event_id"))).hasSize(1);
    }

    @Test
    void aSchemaFailureIsA400NamingTheFieldAndGoesToEventsInvalid() {
        User ada = User.newUser(tokens);
        Map<String, Object> event = userAction();
        ((Map<String, Object>) event.get("data")).put("page", "no-slash");
        event.put("event_id", "not-a-uuid");
        ada.request().body(event).post("/api/v1/events").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("tag:atelier.dev,2026:problem:validation"))
                .body("errors.field", hasItem("data.page")).body("errors.field", hasItem("event_id"));
        invalid.await(r -> "not-a-uuid".equals(r.key()), WITHIN);
    }

    @Test
    void aTimestampMoreThanADayAheadIsA400NamingIt() {
        User ada = User.newUser(tokens);
        Map<String, Object> event = userAction();
        event.put("timestamp", Instant.now().plus(Duration.ofHours(25)).toString());
        ada.request().body(event).post("/api/v1/events").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("timestamp"))
                .body("errors[0].message", equalTo("is more than 24h in the future"));
    }

    @Test
    void anEventOver32KiBIsA413() {
        User ada = User.newUser(tokens);
        Map<String, Object> event = userAction();
        ((Map<String, Object>) event.get("data")).put("target", "x".repeat(33_000));
        ada.request().body(event).post("/api/v1/events").then().statusCode(413).contentType(PROBLEM)
                .body("type", equalTo("tag:atelier.dev,2026:problem:event-too-large"))
                .body("detail", containsString("32768 bytes"));
        // In a batch the same event is one reject among accepted ones.
        Map<String, Object> fine = userAction();
        ada.request().body(batch(List.of(fine, event))).post("/api/v1/events/batch").then().statusCode(200)
                .body("accepted", equalTo(1)).body("rejected[0].index", equalTo(1))
                .body("rejected[0].errors[0].message", containsString("larger than 32768 bytes"));
    }

    @Test
    void aBatchOfMoreThan500EventsIsA413() {
        User ada = User.newUser(tokens);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            events.add(Map.of("event_id", UUID.randomUUID().toString()));
        }
        ada.request().body(batch(events)).post("/api/v1/events/batch").then().statusCode(413).contentType(PROBLEM)
                .body("type", equalTo("tag:atelier.dev,2026:problem:too-many-events"))
                .body("detail", containsString("at most 500"));
    }

    @Test
    void aBatchDeclaredOverOneMiBIsA413ProblemBeforeItIsRead() {
        User ada = User.newUser(tokens);
        for (int size : new int[] {1_048_600, 3_000_000}) { // under and over the HTTP layer's own limit
            String body = "{\"events\":[" + "\"" + "x".repeat(size) + "\"]}";
            ada.request().body(body).post("/api/v1/events/batch").then().statusCode(413).contentType(PROBLEM)
                    .body("detail", equalTo("The request body is larger than 1048576 bytes."));
        }
    }

    @Test
    void aChunkedBatchOverOneMiBIsA413Problem() throws Exception {
        User ada = User.newUser(tokens);
        for (int size : new int[] {1_048_600, 1_070_000}) { // under and over the HTTP layer's own limit (1040 KiB)
            byte[] body = ("{\"events\":[" + "\"" + "x".repeat(size) + "\"]}").getBytes(StandardCharsets.UTF_8);
            // From an InputStream the JDK client sends chunked: there is no Content-Length to refuse it by.
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/events/batch"))
                    .header("Authorization", "Bearer " + ada.token()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
            HttpResponse<String> response;
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            assertThat(response.statusCode()).isEqualTo(413);
            if (size < 1_064_960) {
                assertThat(response.headers().firstValue("Content-Type")).contains(PROBLEM);
                assertThat(response.body()).contains("The request body is larger than 1048576 bytes.");
            } else { // cut off while reading (platform/web BodyReadAhead): the connection is closed (docs/pipeline.md)
                assertThat(response.headers().firstValue("Connection")).contains("close");
            }
        }
    }

    @Test
    void malformedJsonAndWrongShapesAre400s() {
        User ada = User.newUser(tokens);
        ada.request().body("{\"event_id\":").post("/api/v1/events").then().statusCode(400).contentType(PROBLEM);
        ada.request().body("{\"events\":[],\"more\":1}").post("/api/v1/events/batch").then().statusCode(400)
                .body("errors[0].field", equalTo("more"));
        ada.request().body("{\"events\":{}}").post("/api/v1/events/batch").then().statusCode(400)
                .body("errors[0].field", equalTo("events"));
        ada.request().body("{\"a\":1,\"a\":2}").post("/api/v1/events").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void missingOrWrongCredentialsAre401WithTheChallenge() {
        given().contentType(ContentType.JSON).body(userAction()).post("/api/v1/events").then().statusCode(401)
                .contentType(PROBLEM).header("WWW-Authenticate", equalTo("Bearer realm=\"atelier\""));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer not-a-token").body(userAction())
                .post("/api/v1/events").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"atelier\", error=\"invalid_token\""));
        withWriteKey("wk_unknown_key").body(batch(List.of(userAction()))).post("/api/v1/events/batch").then().statusCode(401)
                .contentType(PROBLEM).header("WWW-Authenticate", notNullValue());
        given().contentType(ContentType.JSON).header("Authorization", "Basic %%%").body(userAction())
                .post("/api/v1/events").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + tokens.signedByStranger(tokens.claims(UUID.randomUUID())))
                .body(userAction()).post("/api/v1/events").then().statusCode(401);
    }

    @Test
    void aWriteKeySendsOneEvent() {
        Map<String, Object> event = userAction("user789");
        withWriteKey(Senders.WEB_KEY).body(event).post("/api/v1/events").then().statusCode(202);
        assertThat(raw.await(r -> about(r, event.get("event_id")), WITHIN).get(0).key()).isEqualTo("user789");
    }

    @Test
    void aUserMayNotSendAnotherUsersEvents() {
        User ada = User.newUser(tokens);
        User eve = User.newUser(tokens);
        eve.request().body(userAction(ada.id().toString())).post("/api/v1/events").then().statusCode(403).contentType(PROBLEM);
        eve.request().body(batch(List.of(userAction(eve.id().toString()), userAction(ada.id().toString()))))
                .post("/api/v1/events/batch").then().statusCode(403).contentType(PROBLEM);
        eve.request().body(userAction(eve.id().toString())).post("/api/v1/events").then().statusCode(202);
    }

    @Test
    void overTheRateLimitIsA429WithRetryAfter() {
        User ada = User.newUser(tokens);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) { // the test profile's user burst: 500 events
            events.add(userAction());
        }
        ada.request().body(batch(events)).post("/api/v1/events/batch").then().statusCode(200).body("accepted", equalTo(500));
        ada.request().body(userAction()).post("/api/v1/events").then().statusCode(429).contentType(PROBLEM)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("tag:atelier.dev,2026:problem:rate-limited"));
        // Another user is not affected.
        User.newUser(tokens).request().body(userAction()).post("/api/v1/events").then().statusCode(202);
    }

    @Test
    void aFullBatchIsAcknowledgedOnlyOnceEveryEventIsOnEventsRawWithItsOwnHeaders() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Map<String, Object> event = userAction("batch-user-" + (i % 7));
            event.put("timestamp", Instant.parse("2026-06-01T12:00:00Z").plusNanos(i * 1_000_000L + i).toString());
            events.add(event);
        }
        withWriteKey(Senders.WEB_KEY).body(batch(events)).post("/api/v1/events/batch").then().statusCode(200)
                .body("accepted", equalTo(500)).body("duplicates", equalTo(0)).body("rejected", hasSize(0));

        java.util.Set<Object> ids = new java.util.HashSet<>();
        events.forEach(e -> ids.add(e.get("event_id")));
        List<ConsumerRecord<String, String>> records = raw.await(r -> ids.contains(CloudEventRecords.header(r, "ce_id")), 500,
                WITHIN);
        assertThat(records).hasSize(500);
        for (Map<String, Object> event : events) {
            ConsumerRecord<String, String> record = records.stream().filter(r -> about(r, event.get("event_id"))).findFirst()
                    .orElseThrow();
            // Headers shared by the request's records, and each record's own id, subject and time.
            assertThat(CloudEventRecords.header(record, "ce_subject")).isEqualTo(event.get("event_id"));
            assertThat(Instant.parse(CloudEventRecords.header(record, "ce_time")))
                    .isEqualTo(Instant.parse((String) event.get("timestamp")));
            assertThat(CloudEventRecords.header(record, "ce_type")).isEqualTo("pipeline.event.received");
            assertThat(CloudEventRecords.header(record, "ce_sender")).isEqualTo("source:test-web");
            assertThat(record.key()).isEqualTo(event.get("user_id"));
            assertThat(json(record).path("event_id").asText()).isEqualTo(event.get("event_id"));
        }
    }

    @Test
    void eventsAreCountedByOutcomeAndTypeOnceEach() {
        Map<String, Object> seenBefore = userAction();
        withWriteKey(Senders.WEB_KEY).body(seenBefore).post("/api/v1/events").then().statusCode(202);
        Map<String, Object> view = userAction();
        view.put("event_type", "page_view");
        view.put("data", Map.of("page", "/pricing"));
        Map<String, Object> bad = userAction();
        ((Map<String, Object>) bad.get("data")).remove("action");
        Map<String, Object> twice = userAction();
        List<Map<String, Object>> events = List.of(userAction(), twice, twice, seenBefore, view, bad, userAction());
        double acceptedActions = counter("accepted", "user_action");
        double acceptedViews = counter("accepted", "page_view");
        double duplicates = counter("duplicate", "user_action");
        double rejected = counter("rejected", "user_action");

        withWriteKey(Senders.WEB_KEY).body(batch(events)).post("/api/v1/events/batch").then().statusCode(200)
                .body("accepted", equalTo(4)).body("duplicates", equalTo(2)).body("rejected", hasSize(1));

        assertThat(counter("accepted", "user_action") - acceptedActions).isEqualTo(3);
        assertThat(counter("accepted", "page_view") - acceptedViews).isEqualTo(1);
        assertThat(counter("duplicate", "user_action") - duplicates).isEqualTo(2);
        assertThat(counter("rejected", "user_action") - rejected).isEqualTo(1);
    }

    /** atelier.pipeline.events for the test write key's source; 0 before it was first counted. */
    private static double counter(String outcome, String type) {
        String line = "atelier_pipeline_events_total{outcome=\"" + outcome + "\",source=\"test-web\",type=\"" + type + "\"} ";
        return given().get(management("/q/metrics")).then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(line)) // an exemplar may follow the value
                .mapToDouble(l -> Double.parseDouble(l.substring(line.length()).split(" ")[0])).findFirst()
                .orElse(0);
    }

    @Test
    void metricsCountEventsBySourceAndTypeAndTimeIntakeAndProduce() {
        Map<String, Object> bad = userAction();
        bad.put("event_type", "made_up_type");
        withWriteKey(Senders.WEB_KEY).body(batch(List.of(userAction(), bad))).post("/api/v1/events/batch").then()
                .statusCode(200).body("accepted", equalTo(1));
        String metrics = given().get(management("/q/metrics")).then().statusCode(200).extract().asString();
        assertThat(metrics).contains("atelier_pipeline_events_total{outcome=\"accepted\",source=\"test-web\",type=\"user_action\"}")
                .contains("atelier_pipeline_events_total{outcome=\"rejected\",source=\"test-web\",type=\"unknown\"}")
                .doesNotContain("made_up_type")
                .contains("atelier_pipeline_intake_seconds_count{endpoint=\"batch\"}")
                .contains("atelier_pipeline_produce_seconds_count");
    }

    @Test
    void openApiDescribesBothEndpoints() {
        String openApi = given().get(management("/q/openapi?format=json")).then().statusCode(200).extract().asString();
        assertThat(openApi).contains("\"/api/v1/events\"", "\"/api/v1/events/batch\"", "\"EventAccepted\"", "\"BatchResult\"",
                "\"Event\"");
    }

    /** A URL on the management interface, on the free port the test started it on. */
    private static String management(String path) {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://127.0.0.1:" + port + path;
    }
}
