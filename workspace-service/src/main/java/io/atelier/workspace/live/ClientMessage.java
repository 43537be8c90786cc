package io.atelier.workspace.live;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.workspace.config.LiveConfig;

/** What a client may send on a project socket, {@code {type, data}}, read and checked against the limits. */
sealed interface ClientMessage {

    record Ping() implements ClientMessage {
    }

    record FileChange(String path, JsonNode change) implements ClientMessage {
    }

    /** {@code cursor}: the {@code data} sent on, {@code {path, line, column}} and nothing else. */
    record CursorUpdate(ObjectNode cursor) implements ClientMessage {
    }

    /** A message refused; the socket stays open and the client is told why ({@code ERROR bad_message}). */
    final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static ClientMessage read(String text, ObjectMapper json, LiveConfig.Messages limits) throws Invalid {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (IOException e) {
            throw new Invalid("not JSON");
        }
        if (message == null || !message.isObject() || !message.path("type").isTextual()) {
            throw new Invalid("a message is {\"type\": ..., \"data\": {...}}");
        }
        JsonNode data = message.path("data");
        return switch (message.get("type").asText()) {
            case "PING" -> new Ping();
            case "FILE_CHANGE" -> {
                String path = path(data, limits);
                JsonNode change = data.get("change");
                if (change == null || change.isNull()) {
                    throw new Invalid("data.change: required");
                }
                if (change.toString().length() > limits.maxChangeBytes()) {
                    throw new Invalid("data.change: at most " + limits.maxChangeBytes() + " bytes");
                }
                yield new FileChange(path, change);
            }
            case "CURSOR_UPDATE" -> {
                String path = path(data, limits);
                ObjectNode cursor = json.createObjectNode();
                cursor.put("path", path);
                cursor.put("line", position(data, "line"));
                cursor.put("column", position(data, "column"));
                yield new CursorUpdate(cursor);
            }
            default -> throw new Invalid("type: one of PING, FILE_CHANGE, CURSOR_UPDATE");
        };
    }

    private static String path(JsonNode data, LiveConfig.Messages limits) throws Invalid {
        if (!data.isObject()) {
            throw new Invalid("data: an object");
        }
        JsonNode path = data.get("path");
        if (path == null || !path.isTextual() || path.asText().isBlank()) {
            throw new Invalid("data.path: required text");
        }
        String text = path.asText();
        if (text.length() > limits.maxPathLength()) {
            throw new Invalid("data.path: at most " + limits.maxPathLength() + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid("data.path: no control characters");
        }
        return text;
    }

    private static int position(JsonNode data, String field) throws Invalid {
        JsonNode value = data.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw new Invalid("data." + field + ": a whole number from 0");
        }
        return value.asInt();
    }
}
