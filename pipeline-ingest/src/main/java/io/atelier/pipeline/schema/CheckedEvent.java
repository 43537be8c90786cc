package io.atelier.pipeline.schema;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.platform.web.Problem;

/**
 * One event after its checks: valid (the canonical, snake_case JSON and its occurrence time) or not (what is wrong,
 * each naming its field, e.g. {@code data.action}). {@code event} is whatever could be read of it, for the
 * record on {@code events.invalid}; null when it was not an object or was too large to keep. {@code json} is a valid
 * event's compact JSON as checked (written once, for the size limit, and sent as it is); null for an invalid one.
 */
public record CheckedEvent(JsonNode event, Instant timestamp, List<Problem.FieldError> errors, boolean tooLarge, String json) {

    public CheckedEvent {
        errors = List.copyOf(errors);
    }

    static CheckedEvent valid(ObjectNode event, Instant timestamp, String json) {
        return new CheckedEvent(event, timestamp, List.of(), false, json);
    }

    static CheckedEvent invalid(JsonNode event, List<Problem.FieldError> errors) {
        return new CheckedEvent(event, null, errors, false, null);
    }

    static CheckedEvent oversized(int maxBytes) {
        return new CheckedEvent(null, null,
                List.of(new Problem.FieldError("", "the event is larger than " + maxBytes + " bytes of JSON")), true, null);
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** The event's id as sent, when it has a textual one (also for an invalid event); else null. */
    public String eventId() {
        return text("event_id");
    }

    public String eventType() {
        return text("event_type");
    }

    public String userId() {
        return text("user_id");
    }

    private String text(String field) {
        JsonNode value = event == null ? null : event.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
