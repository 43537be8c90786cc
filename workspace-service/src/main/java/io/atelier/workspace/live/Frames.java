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

    /** A server message around the sequence number the project's log has yet to assign: {@code beforeSeq + seq + afterSeq}. */
    record Template(String beforeSeq, String afterSeq) {
        String with(long seq) {
            return beforeSeq + seq + afterSeq;
        }
    }

    private static final long SEQ_MARK = Long.MIN_VALUE;
    private static final String SEQ_FIELD = "\"seq\":";

    /**
     * The message rendered as {@link #render} would, split where its {@code seq} goes, so the log can number and
     * store it in one statement. {@code seq} comes before {@code data} in the rendering, so the first
     * {@code "seq":<mark>} is the field, whatever the data holds.
     */
    Template template(MessageType type, UUID projectId, UUID userId, Instant at, JsonNode data) {
        String frame = render(type, projectId, userId, SEQ_MARK, at, data);
        String marked = SEQ_FIELD + SEQ_MARK;
        int field = frame.indexOf(marked);
        return new Template(frame.substring(0, field + SEQ_FIELD.length()), frame.substring(field + marked.length()));
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
