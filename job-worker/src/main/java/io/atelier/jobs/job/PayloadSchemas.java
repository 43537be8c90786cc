package io.atelier.jobs.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.atelier.jobs.handler.Handlers;
import io.atelier.platform.web.Problem;

/**
 * Each job type's payload schema (JSON Schema 2020-12, formats asserted), read at start from
 * {@code jobs/schemas/<type>.json} on the classpath: a handler without one stops the start.
 */
@ApplicationScoped
public class PayloadSchemas {

    /** At most this many field errors in one answer. */
    private static final int MAX_ERRORS = 20;

    private final Map<String, JsonSchema> byType = new HashMap<>();

    PayloadSchemas(Handlers handlers) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        ObjectMapper plain = new ObjectMapper();
        for (String type : handlers.types()) {
            String resource = "jobs/schemas/" + type + ".json";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("job type " + type + " has no payload schema at " + resource);
                }
                byType.put(type, factory.getSchema(plain.readTree(in), config));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
    }

    /** What the type's schema finds wrong with the payload, each naming its field below {@code payload}; empty when fine. */
    public List<Problem.FieldError> check(String type, JsonNode payload) {
        JsonSchema schema = byType.get(type);
        if (schema == null) {
            throw new IllegalArgumentException("no schema for " + type);
        }
        Set<ValidationMessage> messages = schema.validate(payload);
        return messages.stream().map(PayloadSchemas::fieldError)
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .limit(MAX_ERRORS).toList();
    }

    /** A JSON Pointer ({@code /items/0/url}) as the field path the suite's problems use ({@code .items[0].url}). */
    static String fieldPath(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            path.append(name.chars().allMatch(Character::isDigit) ? "[" + name + "]" : "." + name);
        }
        return path.toString();
    }

    private static Problem.FieldError fieldError(ValidationMessage message) {
        String location = message.getInstanceLocation() == null ? "" : message.getInstanceLocation().toString();
        String field = "payload" + fieldPath(location);
        String property = message.getProperty();
        // "required" and "additionalProperties" report at the object; name the property itself.
        if (property != null && !field.endsWith("." + property)
                && ("required".equals(message.getType()) || "additionalProperties".equals(message.getType()))) {
            field = field + "." + property;
        }
        String text = message.getMessage();
        if (text != null && text.startsWith(location + ": ")) {
            text = text.substring(location.length() + 2);
        }
        return new Problem.FieldError(field, text);
    }
}
