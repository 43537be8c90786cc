package io.atelier.workspace.live;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders server messages: {@code {type, projectId, userId, seq, at, data}} (docs/workspace.md). */
@ApplicationScoped
class Frames {

    private final ObjectMapper json;

    Frames(ObjectMapper json) {
        this.json = json;
    }

    String render(MessageType type, UUID projectId, UUID userId, long seq, Instant at, JsonNode data) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", type.name());
        frame.put("projectId", projectId.toString());
        frame.put("userId", userId == null ? null : userId.toString());
        frame.put("seq", seq);
        frame.put("at", at.toString());
        frame.set("data", data == null ? json.createObjectNode() : data);
        return write(frame);
    }

    /** {@code {type: "ERROR", code, message}}: a client message refused, the socket stays open. */
    String error(String code, String message) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "ERROR");
        frame.put("code", code);
        frame.put("message", message);
        return write(frame);
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    ObjectMapper mapper() {
        return json;
    }

    private String write(ObjectNode frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always renders", e);
        }
    }
}
