package io.atelier.pipeline.support;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.atelier.platform.security.testing.TokenForge;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Who sends events in tests, and events to send. */
public final class Senders {

    /** The write key of source {@code test-web}; %test config holds its SHA-256. */
    public static final String WEB_KEY = "wk_test_web_5d0f6c2a9e8b4c17a3f1";

    private Senders() {
    }

    /** A signed-in user: a fresh id and a real nested access token. */
    public record User(UUID id, String token) {

        public static User newUser(TokenForge tokens) {
            UUID id = UUID.randomUUID();
            return new User(id, tokens.nested(tokens.claims(id)));
        }

        public RequestSpecification request() {
            return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
        }
    }

    /** A request with a write key as the Basic user name (no password), as Segment's SDKs send it. */
    public static RequestSpecification withWriteKey(String key) {
        String basic = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        return given().header("Authorization", "Basic " + basic).contentType(ContentType.JSON);
    }

    /** A valid user_action 1.0 event with a fresh id, now, without user_id. */
    public static Map<String, Object> userAction() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("event_type", "user_action");
        event.put("timestamp", Instant.now().toString());
        event.put("data", new LinkedHashMap<>(Map.of("action", "click", "page", "/home", "session_id", "s456")));
        event.put("metadata", Map.of("source", "web", "version", "1.0"));
        return event;
    }

    public static Map<String, Object> userAction(String userId) {
        Map<String, Object> event = userAction();
        event.put("user_id", userId);
        return event;
    }

    public static Map<String, Object> batch(List<? extends Map<String, Object>> events) {
        return Map.of("events", new ArrayList<>(events));
    }
}
