package io.atelier.pipeline.enrich;

import static io.restassured.RestAssured.given;
import static io.atelier.pipeline.support.Senders.userAction;
import static io.atelier.pipeline.support.Senders.withWriteKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.pipeline.support.Senders;
import io.atelier.pipeline.support.Senders.User;
import io.atelier.platform.events.Topics;
import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.events.auth.UserUpdated;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventRecords;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.atelier.platform.testing.RealServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The topology on the real broker and Redis: intake -> events.raw -> events.enriched, dedup (also across a restart of
 * the Streams app), enrichment from the profile cache that auth.user-events feeds, readiness and metrics.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "pipeline-ingest"))
@WithTestResource(TestTokenKeys.class)
class EnrichStreamsTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    TokenForge tokens;

    @Inject
    KafkaStreams streams;

    @Inject
    RedisDataSource redis;

    @Inject
    RedisUserProfiles profiles;

    private KafkaTopicReader enriched;

    @BeforeEach
    void runningTopology() {
        // The test's own application id starts at the end of events.raw: events sent before it runs are not its.
        await().atMost(WITHIN).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        enriched = KafkaTopicReader.committed(bootstrap(), Topics.EVENTS_ENRICHED, false);
    }

    @AfterEach
    void closeReader() {
        enriched.close();
    }

    private static String bootstrap() {
        return LocalSuite.find().kafkaBootstrap();
    }

    private static boolean about(ConsumerRecord<String, String> record, Object eventId) {
        return eventId.equals(CloudEventRecords.header(record, "ce_id"));
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** This JVM's {@code atelier.pipeline.enrich.events} count for one outcome (0 before the first). */
    private static double enrichCount(String outcome) {
        String metrics = given().get(management("/q/metrics")).then().statusCode(200).extract().asString();
        String prefix = "atelier_pipeline_enrich_events_total{outcome=\"" + outcome + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElse(0);
    }

    private static String management(String path) {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void theSameEventTwiceOnEventsRawIsOnceOnEventsEnriched() {
        double duplicatesBefore = enrichCount("duplicate");
        User ada = User.newUser(tokens);
        Map<String, Object> event = userAction();
        String id = (String) event.get("event_id");
        long original;
        try (KafkaTopicReader raw = new KafkaTopicReader(bootstrap(), Topics.EVENTS_RAW);
                CloudEventWriter writer = CloudEventWriter.local()) {
            ada.request().body(event).post("/api/v1/events").then().statusCode(202);
            ConsumerRecord<String, String> first = raw.await(r -> about(r, id), WITHIN).get(0);
            original = first.timestamp();
            enriched.await(r -> about(r, id), WITHIN);

            // The intake's dedup catches a client's retry; a second copy on events.raw (two concurrent sends, a
            // producer retry after a timeout) is the topology's to drop. Written as the intake writes it, 1 ms later:
            // an enriched record keeps its input's timestamp, so the copy's output (if any) is told apart by it.
            RecordHeaders headers = new RecordHeaders(first.headers().toArray());
            writer.send(new ProducerRecord<>(Topics.EVENTS_RAW, null, first.timestamp() + 1, first.key(), first.value(), headers));
            // Same user, same key, same partition: once the marker is through, so is the copy (or its drop).
            Map<String, Object> marker = userAction();
            ada.request().body(marker).post("/api/v1/events").then().statusCode(202);
            enriched.await(r -> about(r, marker.get("event_id")), WITHIN);
        }
        // The copy never came out. (The original may come out more than once: the broker is shared, and a running
        // suite's pipeline-ingest, another application id with a dedup store of its own, enriches events.raw too.)
        List<ConsumerRecord<String, String>> outputs = enriched.records().stream().filter(r -> about(r, id)).toList();
        assertThat(outputs).isNotEmpty().allMatch(r -> r.timestamp() == original);
        // And it was this topology that dropped it.
        assertThat(enrichCount("duplicate")).isGreaterThan(duplicatesBefore);
        assertThat(enrichCount("enriched")).isGreaterThan(0);
    }

    @Test
    void enrichmentCarriesTheUsersProfileAndARenamedUsersNewName() throws Exception {
        UUID userId = UUID.randomUUID();
        User ada = new User(userId, tokens.nested(tokens.claims(userId)));
        Instant signedUp = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        try (CloudEventWriter writer = CloudEventWriter.local()) {
            writer.publish(Topics.AUTH_USER_EVENTS, UserCreated.TYPE, "auth-service", userId.toString(),
                    JSON.writeValueAsString(Map.of("id", userId, "email", userId + "@example.com", "displayName", "Ada",
                            "createdAt", signedUp.toString())));
            awaitName(userId, "Ada");

            Map<String, Object> before = userAction();
            ada.request().header("X-Request-Id", "enrich-" + userId).body(before).post("/api/v1/events").then()
                    .statusCode(202);
            ConsumerRecord<String, String> record = enriched.await(r -> about(r, before.get("event_id")), WITHIN).get(0);
            assertThat(record.key()).isEqualTo(userId.toString());
            assertThat(CloudEventRecords.header(record, "ce_type")).isEqualTo("pipeline.event.enriched");
            assertThat(CloudEventRecords.header(record, "ce_source")).isEqualTo("pipeline-ingest");
            assertThat(CloudEventRecords.header(record, "ce_subject")).isEqualTo(before.get("event_id"));
            assertThat(CloudEventRecords.header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(Instant.parse(CloudEventRecords.header(record, "ce_time")))
                    .isEqualTo(Instant.parse((String) before.get("timestamp")));
            assertThat(CloudEventRecords.header(record, "ce_requestid")).isEqualTo("enrich-" + userId);
            assertThat(CloudEventRecords.header(record, "content-type")).isEqualTo("application/json");
            JsonNode value = json(record);
            assertThat(value.get("user_id").asText()).isEqualTo(userId.toString());
            assertThat(value.get("data")).isEqualTo(JSON.valueToTree(before.get("data")));
            JsonNode enrichment = value.get("enrichment");
            assertThat(enrichment.get("source").asText()).isEqualTo("web");
            assertThat(enrichment.get("sender").asText()).isEqualTo("user:" + userId);
            assertThat(Instant.parse(enrichment.get("received_at").asText()))
                    .isBetween(Instant.now().minusSeconds(60), Instant.now());
            assertThat(enrichment.at("/user/display_name").asText()).isEqualTo("Ada");
            assertThat(Instant.parse(enrichment.at("/user/signed_up_at").asText())).isEqualTo(signedUp);

            writer.publish(Topics.AUTH_USER_EVENTS, UserUpdated.TYPE, "auth-service", userId.toString(),
                    JSON.writeValueAsString(Map.of("id", userId, "email", userId + "@example.com", "displayName",
                            "Ada Lovelace", "updatedAt", Instant.now().toString())));
            awaitName(userId, "Ada Lovelace");
        }
        Map<String, Object> after = userAction();
        ada.request().body(after).post("/api/v1/events").then().statusCode(202);
        JsonNode enrichment = json(enriched.await(r -> about(r, after.get("event_id")), WITHIN).get(0)).get("enrichment");
        assertThat(enrichment.at("/user/display_name").asText()).isEqualTo("Ada Lovelace");
        assertThat(Instant.parse(enrichment.at("/user/signed_up_at").asText())).isEqualTo(signedUp);
    }

    @Test
    void aWriteKeysEventNamesItsSourceAndAFreeFormUserHasNoProfile() {
        Map<String, Object> event = Senders.userAction("visitor-" + UUID.randomUUID());
        withWriteKey(Senders.WEB_KEY).body(event).post("/api/v1/events").then().statusCode(202);
        JsonNode enrichment = json(enriched.await(r -> about(r, event.get("event_id")), WITHIN).get(0)).get("enrichment");
        assertThat(enrichment.get("source").asText()).isEqualTo("test-web");
        assertThat(enrichment.get("sender").asText()).isEqualTo("source:test-web");
        assertThat(enrichment.get("user").isNull()).isTrue();
    }

    @Test
    void aUserNotKnownYetHasNoProfileRatherThanAnError() {
        User stranger = User.newUser(tokens);
        Map<String, Object> event = userAction();
        stranger.request().body(event).post("/api/v1/events").then().statusCode(202);
        JsonNode enrichment = json(enriched.await(r -> about(r, event.get("event_id")), WITHIN).get(0)).get("enrichment");
        assertThat(enrichment.get("user").isNull()).isTrue();
        assertThat(enrichment.get("sender").asText()).isEqualTo("user:" + stranger.id());
    }

    @Test
    void readinessIncludesTheTopologyAndItsMetricsArePublished() {
        given().get(management("/q/health/ready")).then().statusCode(200)
                .body("checks.find { it.name == 'Kafka Streams topology' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka Streams topology' }.data.state", equalTo("RUNNING"));
        String metrics = given().get(management("/q/metrics")).then().statusCode(200).extract().asString();
        // Kafka Streams' own metrics through Micrometer's binding: the lag of the topology's consumer among them.
        assertThat(metrics).contains("kafka_consumer_fetch_manager_records_lag_max");
    }

    /**
     * A restart of the Streams application: the real topology on topics of this test's own, run by an application of
     * its own; stopped, its local state deleted (so the seen ids can only come back from the changelog), started again
     * under the same application id: the copy of an event it processed before the restart is dropped.
     */
    @Test
    void duplicatesAcrossARestartOfTheStreamsApplicationAreStillRemoved() throws Exception {
        String suffix = UUID.randomUUID().toString();
        String input = "test.enrich-restart.raw." + suffix;
        String output = "test.enrich-restart.enriched." + suffix;
        String applicationId = "pipeline-ingest-restart-test-" + suffix;
        Path stateDir = Files.createTempDirectory("enrich-restart");
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(input, 3, (short) 1), new NewTopic(output, 3, (short) 1))).all()
                    .get();
            try (KafkaTopicReader out = KafkaTopicReader.committed(bootstrap(), output, true);
                    CloudEventWriter writer = CloudEventWriter.local()) {
                String key = UUID.randomUUID().toString();
                String eventId = UUID.randomUUID().toString();
                ProducerRecord<String, String> event = rawRecord(input, key, eventId);

                KafkaStreams first = start(applicationId, input, output, stateDir, metrics);
                writer.send(event);
                out.await(r -> about(r, eventId), WITHIN);
                first.close(Duration.ofSeconds(30));
                deleteTree(stateDir);

                KafkaStreams second = start(applicationId, input, output, stateDir, metrics);
                try {
                    writer.send(rawRecord(input, key, eventId));
                    String marker = UUID.randomUUID().toString();
                    writer.send(rawRecord(input, key, marker));
                    out.await(r -> about(r, marker), WITHIN);
                } finally {
                    second.close(Duration.ofSeconds(30));
                }
                assertThat(out.records().stream().filter(r -> about(r, eventId))).hasSize(1);
                assertThat(metrics.counter("atelier.pipeline.enrich.events", "outcome", "duplicate").count()).isEqualTo(1);
            } finally {
                // The shared broker keeps nobody's test topics.
                admin.deleteTopics(List.of(input, output, applicationId + "-" + EnrichTopology.SEEN_STORE + "-changelog"));
                deleteTree(stateDir);
            }
        }
    }

    private KafkaStreams start(String applicationId, String input, String output, Path stateDir,
            SimpleMeterRegistry metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        var topology = EnrichTopology.build(input, output, Duration.ofHours(24), new EventEnricher(profiles), JSON,
                new EnrichMetrics(metrics));
        KafkaStreams started = new KafkaStreams(topology, props);
        started.start();
        await().atMost(WITHIN).until(() -> started.state() == KafkaStreams.State.RUNNING);
        return started;
    }

    private static ProducerRecord<String, String> rawRecord(String topic, String key, String eventId) {
        String value = """
                {"event_id":"%s","event_type":"user_action","timestamp":"%s","data":{"action":"click"},\
                "metadata":{"source":"web","version":"1.0"}}""".formatted(eventId, Instant.now());
        ProducerRecord<String, String> record = CloudEventWriter.record(topic, eventId, "pipeline.event.received",
                "pipeline-ingest", key, value);
        CloudEventWriter.header(record.headers(), "ce_sender", "source:restart-test");
        return record;
    }

    private void awaitName(UUID userId, String name) {
        await().atMost(WITHIN).until(() -> name.equals(
                redis.hash(String.class).hget(RedisUserProfiles.PREFIX + userId, "display_name")));
        // The feed forgets this instance's cached profile right after writing Redis.
        await().atMost(WITHIN).until(() -> profiles.find(userId.toString()).map(UserProfile::displayName)
                .equals(Optional.of(name)));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
