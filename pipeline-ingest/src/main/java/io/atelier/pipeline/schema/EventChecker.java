package io.atelier.pipeline.schema;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.platform.web.Problem;

/**
 * Every rule one event must meet, in order: a JSON object; its field names canonical (snake_case, none given
 * twice); at most {@code maxEventBytes} of compact JSON; the envelope's and its type's schema; a
 * {@code timestamp} at most {@code maxFuture} ahead of the clock.
 */
public class EventChecker {

    private final EventSchemas schemas;
    private final int maxEventBytes;
    private final Duration maxFuture;
    private final Clock clock;
    private final ObjectMapper plain = new ObjectMapper();

    public EventChecker(EventSchemas schemas, int maxEventBytes, Duration maxFuture, Clock clock) {
        this.schemas = schemas;
        this.maxEventBytes = maxEventBytes;
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    public EventSchemas schemas() {
        return schemas;
    }

    /** The event in canonical form when it is an object (for rules that come before the checks, e.g. who may send it). */
    public static ObjectNode canonical(JsonNode event) {
        return event instanceof ObjectNode object ? EventShape.canonical(object).event() : null;
    }

    public CheckedEvent check(JsonNode sent) {
        if (!(sent instanceof ObjectNode object)) {
            return CheckedEvent.invalid(null, List.of(new Problem.FieldError("", "an event is a JSON object")));
        }
        EventShape.Result shape = EventShape.canonical(object);
        ObjectNode event = shape.event();
        byte[] json = compact(event);
        if (json.length > maxEventBytes) {
            return CheckedEvent.oversized(maxEventBytes);
        }
        List<Problem.FieldError> errors = new ArrayList<>(shape.errors());
        errors.addAll(schemas.check(event));
        Instant timestamp = null;
        JsonNode time = event.get("timestamp");
        if (time != null && time.isTextual() && errors.stream().noneMatch(e -> e.field().equals("timestamp"))) {
            try {
                timestamp = Timestamps.parse(time.asText());
                if (timestamp.isAfter(clock.instant().plus(maxFuture))) {
                    errors.add(new Problem.FieldError("timestamp", "is more than " + human(maxFuture) + " in the future"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new Problem.FieldError("timestamp", "is not an ISO-8601 time with an offset"));
            }
        }
        if (!errors.isEmpty()) {
            return CheckedEvent.invalid(event, errors);
        }
        // One UUID, one spelling: the dedup key and ce_id must not differ by letter case.
        String id = event.get("event_id").asText();
        String lower = id.toLowerCase(Locale.ROOT);
        if (!lower.equals(id)) {
            event.put("event_id", lower);
            json = compact(event);
        }
        return CheckedEvent.valid(event, timestamp, new String(json, StandardCharsets.UTF_8));
    }

    private byte[] compact(JsonNode event) {
        try {
            return plain.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed event cannot be written back", e);
        }
    }

    private static String human(Duration duration) {
        return duration.toSeconds() % 3600 == 0 ? duration.toHours() + "h" : duration.toString();
    }
}
