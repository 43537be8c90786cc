package io.atelier.pipeline.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Plain JUnit: the topology in Kafka Streams' TopologyTestDriver, no broker. */
class EnrichTopologyTest {

    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    private final Map<String, UserProfile> profiles = new HashMap<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> raw;
    private TestOutputTopic<String, String> enriched;

    @BeforeEach
    void start() {
        driver = driver(stateDir);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private TopologyTestDriver driver(Path dir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "enrich-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        var topology = EnrichTopology.build("raw", "enriched", WINDOW,
                new EventEnricher(id -> Optional.ofNullable(profiles.get(id))), JSON, new EnrichMetrics(metrics));
        TopologyTestDriver created = new TopologyTestDriver(topology, props);
        raw = created.createInputTopic("raw", new StringSerializer(), new StringSerializer());
        enriched = created.createOutputTopic("enriched", new StringDeserializer(), new StringDeserializer());
        return created;
    }

    private static String event(String eventId, String userId, String source) {
        return """
                {"event_id":"%s","event_type":"user_action","timestamp":"2026-12-07T00:59:58.5+01:00",%s\
                "data":{"action":"click","page":"/home"},"metadata":{"source":"%s","version":"1.0"}}"""
                .formatted(eventId, userId == null ? "" : "\"user_id\":\"" + userId + "\",", source);
    }

    private static Headers rawHeaders(String eventId, String sender) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, "ce_specversion", "1.0");
        put(headers, "ce_id", eventId);
        put(headers, "ce_type", "pipeline.event.received");
        put(headers, "ce_source", "pipeline-ingest");
        put(headers, "ce_subject", eventId);
        put(headers, "ce_time", "2026-12-06T23:59:58.500Z");
        put(headers, "ce_sender", sender);
        put(headers, "ce_requestid", "req-" + eventId);
        put(headers, "ce_traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        put(headers, "content-type", "application/json");
        return headers;
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(TestRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void send(String key, String eventId, String userId, String sender, Instant at) {
        raw.pipeInput(new TestRecord<>(key, event(eventId, userId, "web"), rawHeaders(eventId, sender), at));
    }

    private double counted(String outcome) {
        return metrics.counter("atelier.pipeline.enrich.events", "outcome", outcome).count();
    }

    @Test
    void enrichesAUsersEventWithTheirProfileAndKeepsTheEventAndItsTraceHeaders() throws Exception {
        String userId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        profiles.put(userId, new UserProfile("Ada", Instant.parse("2026-01-02T03:04:05Z")));
        send(userId, eventId, userId, "user:" + userId, T0);

        TestRecord<String, String> out = enriched.readRecord();
        assertThat(out.key()).isEqualTo(userId);
        assertThat(out.timestamp()).isEqualTo(T0.toEpochMilli());
        JsonNode value = JSON.readTree(out.value());
        JsonNode original = JSON.readTree(event(eventId, userId, "web"));
        for (String field : new String[] { "event_id", "event_type", "timestamp", "user_id", "data", "metadata" }) {
            assertThat(value.get(field)).as(field).isEqualTo(original.get(field));
        }
        assertThat(value.get("enrichment")).isEqualTo(JSON.readTree("""
                {"received_at":"2026-12-07T01:00:00Z","source":"web","sender":"user:%s",
                 "user":{"display_name":"Ada","signed_up_at":"2026-01-02T03:04:05Z"}}""".formatted(userId)));
        assertThat(header(out, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(out, "ce_id")).isEqualTo(eventId);
        assertThat(header(out, "ce_subject")).isEqualTo(eventId);
        assertThat(header(out, "ce_type")).isEqualTo("pipeline.event.enriched");
        assertThat(header(out, "ce_source")).isEqualTo("pipeline-ingest");
        assertThat(header(out, "ce_time")).isEqualTo("2026-12-06T23:59:58.500Z");
        assertThat(header(out, "content-type")).isEqualTo("application/json");
        assertThat(header(out, "ce_sender")).isEqualTo("user:" + userId);
        assertThat(header(out, "ce_requestid")).isEqualTo("req-" + eventId);
        assertThat(header(out, "ce_traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c");
        // Each attribute once: replaced, not added beside the events.raw value.
        assertThat(out.headers().headers("ce_type")).hasSize(1);
        assertThat(out.headers().headers("ce_id")).hasSize(1);
        assertThat(enriched.isEmpty()).isTrue();
        assertThat(counted("enriched")).isEqualTo(1);
    }

    @Test
    void aWriteKeysEventNamesItsSourceAndAnUnknownUserHasNoProfile() throws Exception {
        String eventId = UUID.randomUUID().toString();
        send("visitor-42", eventId, "visitor-42", "source:shop", T0);

        JsonNode enrichment = JSON.readTree(enriched.readValue()).get("enrichment");
        assertThat(enrichment.get("source").asText()).isEqualTo("shop");
        assertThat(enrichment.get("sender").asText()).isEqualTo("source:shop");
        assertThat(enrichment.get("user").isNull()).isTrue();
    }

    @Test
    void anEventWithoutAUserHasNoProfile() throws Exception {
        String eventId = UUID.randomUUID().toString();
        send(eventId, eventId, null, "source:shop", T0);

        JsonNode value = JSON.readTree(enriched.readValue());
        assertThat(value.has("user_id")).isFalse();
        assertThat(value.get("enrichment").get("user").isNull()).isTrue();
    }

    @Test
    void theSameEventTwiceWithinTheWindowIsWrittenOnce() {
        String userId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        send(userId, eventId, userId, "user:" + userId, T0);
        send(userId, eventId, userId, "user:" + userId, T0.plus(WINDOW).minusSeconds(1));
        String other = UUID.randomUUID().toString();
        send(userId, other, userId, "user:" + userId, T0.plusSeconds(2));

        assertThat(enriched.readRecordsToList()).extracting(r -> header(r, "ce_id")).containsExactly(eventId, other);
        assertThat(counted("duplicate")).isEqualTo(1);
    }

    @Test
    void theSameIdAfterTheWindowIsAnEventAgain() {
        String eventId = UUID.randomUUID().toString();
        send(eventId, eventId, null, "source:shop", T0);
        send(eventId, eventId, null, "source:shop", T0.plus(WINDOW).plusSeconds(1));

        assertThat(enriched.readRecordsToList()).hasSize(2);
        assertThat(counted("duplicate")).isZero();
    }

    @Test
    void aRenamedUsersNextEventsCarryTheNewName() throws Exception {
        String userId = UUID.randomUUID().toString();
        profiles.put(userId, new UserProfile("Ada", Instant.parse("2026-01-02T03:04:05Z")));
        send(userId, UUID.randomUUID().toString(), userId, "user:" + userId, T0);
        profiles.put(userId, new UserProfile("Ada Lovelace", Instant.parse("2026-01-02T03:04:05Z")));
        send(userId, UUID.randomUUID().toString(), userId, "user:" + userId, T0.plusSeconds(1));

        assertThat(enriched.readValuesToList()).extracting(v -> JSON.readTree(v).at("/enrichment/user/display_name").asText())
                .containsExactly("Ada", "Ada Lovelace");
    }

    @Test
    void recordsThatAreNoEventAreSkippedAndCounted() {
        raw.pipeInput("k1", "not json", T0);
        raw.pipeInput("k2", "[1,2]", T0);
        raw.pipeInput("k3", "{\"event_type\":\"user_action\"}", T0);
        raw.pipeInput("k4", null, T0);
        String eventId = UUID.randomUUID().toString();
        send(eventId, eventId, null, "source:shop", T0);

        assertThat(enriched.readRecordsToList()).extracting(TestRecord::key).containsExactly(eventId);
        assertThat(counted("unusable")).isEqualTo(4);
    }
}
