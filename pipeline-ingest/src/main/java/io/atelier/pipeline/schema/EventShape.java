package io.atelier.pipeline.schema;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.platform.web.Problem;

/**
 * An event's field names in the product's canonical form, snake_case: clients may send {@code eventId} or
 * {@code event_id}, {@code data.sessionId} or {@code data.session_id}. Renamed are the names of the event itself,
 * of {@code metadata} and of {@code data}'s own fields; anything deeper inside {@code data} is the client's and
 * stays as sent. One field given under both spellings is an error naming it.
 */
public final class EventShape {

    /** The objects whose own field names are made canonical too. */
    private static final List<String> NESTED = List.of("data", "metadata");

    private EventShape() {
    }

    /**
     * The canonical form of {@code event} (an object), and the errors of fields given twice. An event whose names are
     * all canonical already (what almost every client sends) is returned as it is, not copied: no name can then be
     * given twice, and copying the three maps of every event was a tenth of the intake's request-thread CPU.
     */
    public static Result canonical(ObjectNode event) {
        if (isCanonical(event)) {
            return new Result(event, List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        ObjectNode out = rename(event, "", errors);
        for (String nested : NESTED) {
            if (out.get(nested) instanceof ObjectNode inner) {
                out.set(nested, rename(inner, nested + ".", errors));
            }
        }
        return new Result(out, errors);
    }

    public record Result(ObjectNode event, List<Problem.FieldError> errors) {
    }

    static boolean isCanonical(ObjectNode event) {
        if (!namesCanonical(event)) {
            return false;
        }
        for (String nested : NESTED) {
            if (event.get(nested) instanceof ObjectNode inner && !namesCanonical(inner)) {
                return false;
            }
        }
        return true;
    }

    private static boolean namesCanonical(ObjectNode object) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            if (hasUpperAscii(names.next())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasUpperAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }

    /** {@code sessionId} -> {@code session_id}; names already in snake_case (or in neither form) stay. */
    static String snake(String name) {
        if (!hasUpperAscii(name)) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && c < 128) {
                if (i > 0 && name.charAt(i - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static ObjectNode rename(ObjectNode in, String prefix, List<Problem.FieldError> errors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = in.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = snake(field.getKey());
            if (out.has(name)) {
                errors.add(new Problem.FieldError(prefix + name, "is given twice (in camelCase and in snake_case)"));
                continue;
            }
            out.set(name, field.getValue());
        }
        return out;
    }
}
