package io.atelier.pipeline.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.atelier.platform.web.Problem;

/**
 * The event schemas (JSON Schema 2020-12, formats asserted), read at start from the classpath:
 * {@code events/schemas/envelope.json} for what every event has, and per type and version the schema of its
 * {@code data} at {@code events/schemas/<event_type>/<version>.json}, listed in {@code events/schemas/index.txt}
 * (one {@code <event_type> <version>} a line). A listed schema that is missing or broken stops the start.
 */
public class EventSchemas {

    static final String ROOT = "events/schemas/";
    /** At most this many field errors for one event. */
    private static final int MAX_ERRORS = 20;

    private final JsonSchema envelope;
    private final Map<String, Map<String, JsonSchema>> byType = new TreeMap<>();

    /** The schemas on the context class loader's classpath. */
    public static EventSchemas fromClasspath() {
        return new EventSchemas(Thread.currentThread().getContextClassLoader());
    }

    EventSchemas(ClassLoader loader) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        ObjectMapper plain = new ObjectMapper();
        envelope = factory.getSchema(read(loader, plain, ROOT + "envelope.json"), config);
        for (String line : lines(loader, ROOT + "index.txt")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalStateException(ROOT + "index.txt: expected '<event_type> <version>', got '" + line + "'");
            }
            JsonSchema data = factory.getSchema(read(loader, plain, ROOT + parts[0] + "/" + parts[1] + ".json"), config);
            byType.computeIfAbsent(parts[0], t -> new TreeMap<>()).put(parts[1], data);
        }
    }

    /** The event types there are schemas for. */
    public Set<String> types() {
        return byType.keySet();
    }

    /**
     * What the schemas find wrong with a canonical (snake_case) event, each error naming its field
     * ({@code event_id}, {@code data.action}, {@code metadata.version}); empty when it is fine. An unknown
     * {@code event_type}, or a {@code metadata.version} its type has no schema for, is an error too.
     */
    public List<Problem.FieldError> check(JsonNode event) {
        if (valid(event)) {
            return List.of();
        }
        List<Problem.FieldError> errors = new ArrayList<>(errors("", envelope.validate(event)));
        JsonNode type = event.path("event_type");
        JsonNode version = event.path("metadata").path("version");
        JsonNode data = event.get("data");
        if (type.isTextual() && !hasError(errors, "event_type")) {
            Map<String, JsonSchema> versions = byType.get(type.asText());
            if (versions == null) {
                errors.add(new Problem.FieldError("event_type", "is not a known event type (known: "
                        + String.join(", ", byType.keySet()) + ")"));
            } else if (version.isTextual() && !hasError(errors, "metadata.version")) {
                JsonSchema schema = versions.get(version.asText());
                if (schema == null) {
                    errors.add(new Problem.FieldError("metadata.version", "is not a known version of "
                            + type.asText() + " (known: " + String.join(", ", versions.keySet()) + ")"));
                } else if (data != null && data.isObject()) {
                    errors.addAll(errors("data", schema.validate(data)));
                }
            }
        }
        return errors.stream()
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .limit(MAX_ERRORS).toList();
    }

    /**
     * The common case first: almost every event is valid, and the schemas' boolean output stops at the first failure
     * and builds no messages (the default output collects every message with its location for each keyword). Only an
     * event that fails here is checked again for its errors, so the answer is the same either way.
     */
    private boolean valid(JsonNode event) {
        Map<String, JsonSchema> versions = byType.get(event.path("event_type").asText());
        JsonSchema data = versions == null ? null : versions.get(event.path("metadata").path("version").asText());
        JsonNode payload = event.get("data");
        return data != null && payload != null && payload.isObject()
                && envelope.validate(event, OutputFormat.BOOLEAN) && data.validate(payload, OutputFormat.BOOLEAN);
    }

    private static boolean hasError(List<Problem.FieldError> errors, String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    /** A JSON Pointer ({@code /items/0/url}) as a field path ({@code items[0].url}) under {@code prefix}. */
    static String fieldPath(String prefix, String pointer) {
        StringBuilder path = new StringBuilder(prefix);
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(name);
            }
        }
        return path.toString();
    }

    private static List<Problem.FieldError> errors(String prefix, Set<ValidationMessage> messages) {
        return messages.stream().map(m -> fieldError(prefix, m)).toList();
    }

    private static Problem.FieldError fieldError(String prefix, ValidationMessage message) {
        String location = message.getInstanceLocation() == null ? "" : message.getInstanceLocation().toString();
        String field = fieldPath(prefix, location);
        String property = message.getProperty();
        // "required" and "additionalProperties" report at the object; name the property itself.
        if (property != null && ("required".equals(message.getType()) || "additionalProperties".equals(message.getType()))) {
            field = field.isEmpty() ? property : field + "." + property;
        }
        String text = message.getMessage();
        if (text != null && text.startsWith(location + ": ")) {
            text = text.substring(location.length() + 2);
        }
        return new Problem.FieldError(field, text);
    }

    private static JsonNode read(ClassLoader loader, ObjectMapper mapper, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no event schema at " + resource);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static List<String> lines(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no event schema index at " + resource);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
