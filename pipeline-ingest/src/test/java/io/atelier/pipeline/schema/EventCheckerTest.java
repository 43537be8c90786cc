package io.atelier.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.web.Problem;

/** Plain JUnit: the checks one event goes through, with the real schemas and a fixed clock. */
class EventCheckerTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventSchemas SCHEMAS = new EventSchemas(EventCheckerTest.class.getClassLoader());

    private final EventChecker checker = new EventChecker(SCHEMAS, 2048, Duration.ofHours(24), Clock.fixed(NOW, ZoneOffset.UTC));

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String event(String type, String version, String data, String timestamp) {
        return "{'event_id':'6f1c2b1e-5b7a-4a43-9d7e-2f0a7c9e1b11','event_type':'" + type + "','timestamp':'" + timestamp
                + "','user_id':'user123','data':" + data + ",'metadata':{'source':'web','version':'" + version + "'}}";
    }

    @Test
    void theIssuesExampleIsValid() {
        CheckedEvent event = checker.check(json(event("user_action", "1.0",
                "{'action':'click','page':'/home','session_id':'s456'}", "2024-01-01T00:00:00Z")));
        assertThat(event.errors()).isEmpty();
        assertThat(event.eventId()).isEqualTo("6f1c2b1e-5b7a-4a43-9d7e-2f0a7c9e1b11");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    }

    @Test
    void camelCaseNamesAreMadeSnakeCase() {
        CheckedEvent event = checker.check(json("{'eventId':'6f1c2b1e-5b7a-4a43-9d7e-2f0a7c9e1b11','eventType':'page_view',"
                + "'timestamp':'2026-06-01T11:00:00+02:00','userId':'u1','data':{'page':'/a','sessionId':'s','durationMs':5},"
                + "'metadata':{'source':'ios','version':'1.0'}}"));
        assertThat(event.errors()).isEmpty();
        assertThat(event.event().has("event_id")).isTrue();
        assertThat(event.event().path("data").path("session_id").asText()).isEqualTo("s");
        assertThat(event.event().path("data").path("duration_ms").asInt()).isEqualTo(5);
        assertThat(event.userId()).isEqualTo("u1");
    }

    @Test
    void anEventIdIsKeptInLowerCase() {
        CheckedEvent event = checker.check(json(event("user_action", "1.0", "{'action':'click'}", "2026-06-01T11:00:00Z")
                .replace("6f1c2b1e-5b7a-4a43-9d7e-2f0a7c9e1b11", "6F1C2B1E-5B7A-4A43-9D7E-2F0A7C9E1B11")));
        assertThat(event.errors()).isEmpty();
        assertThat(event.eventId()).isEqualTo("6f1c2b1e-5b7a-4a43-9d7e-2f0a7c9e1b11");
    }

    @Test
    void aFieldGivenInBothSpellingsIsNamed() {
        CheckedEvent event = checker.check(json("{'event_id':'6f1c2b1e-5b7a-4a43-9d7e-2f0a7c9e1b11',"
                + "'eventId':'6f1c2b1e-5b7a-4a43-9d7e-2f0a7c9e1b12','event_type':'page_view','timestamp':'2026-06-01T11:00:00Z',"
                + "'data':{'page':'/a'},'metadata':{'source':'ios','version':'1.0'}}"));
        assertThat(event.errors()).extracting(Problem.FieldError::field).containsExactly("event_id");
    }

    @Test
    void aSchemaFailureNamesTheField() {
        CheckedEvent event = checker.check(json(event("user_action", "1.0", "{'page':'home','extra':1}", "2026-06-01T11:00:00Z")));
        assertThat(event.errors()).extracting(Problem.FieldError::field)
                .containsExactlyInAnyOrder("data.action", "data.page", "data.extra");
    }

    @Test
    void envelopeFailuresNameTheirFields() {
        CheckedEvent event = checker.check(json("{'event_id':'nope','event_type':'user_action','timestamp':'yesterday',"
                + "'data':{'action':'click'},'metadata':{'version':'1.0'}}"));
        assertThat(event.errors()).extracting(Problem.FieldError::field)
                .containsExactlyInAnyOrder("event_id", "timestamp", "metadata.source");
    }

    @Test
    void anUnknownTypeOrVersionIsInvalid() {
        assertThat(checker.check(json(event("teleport", "1.0", "{}", "2026-06-01T11:00:00Z"))).errors())
                .extracting(Problem.FieldError::field).containsExactly("event_type");
        CheckedEvent version = checker.check(json(event("user_action", "9.9", "{'action':'click'}", "2026-06-01T11:00:00Z")));
        assertThat(version.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("metadata.version");
            assertThat(e.message()).contains("1.0");
        });
    }

    @Test
    void aTimestampMoreThanADayAheadIsRefused() {
        assertThat(checker.check(json(event("user_action", "1.0", "{'action':'click'}", "2026-06-02T11:59:00Z"))).errors())
                .isEmpty();
        assertThat(checker.check(json(event("user_action", "1.0", "{'action':'click'}", "2026-06-02T12:01:00Z"))).errors())
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("timestamp");
                    assertThat(e.message()).isEqualTo("is more than 24h in the future");
                });
    }

    @Test
    void anEventOverTheSizeLimitIsTooLarge() {
        String big = "x".repeat(2100);
        CheckedEvent event = checker.check(json(event("user_action", "1.0", "{'action':'click','target':'" + big + "'}",
                "2026-06-01T11:00:00Z")));
        assertThat(event.tooLarge()).isTrue();
        assertThat(event.valid()).isFalse();
    }

    @Test
    void notAnObjectIsInvalid() {
        assertThat(checker.check(json("[1]")).errors()).extracting(Problem.FieldError::message)
                .containsExactly("an event is a JSON object");
    }

    @Test
    void aMissingSchemaStopsTheStart() {
        ClassLoader empty = new ClassLoader(null) {
        };
        assertThatThrownBy(() -> new EventSchemas(empty)).hasMessageContaining("events/schemas/envelope.json");
    }
}
