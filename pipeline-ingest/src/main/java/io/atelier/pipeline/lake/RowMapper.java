package io.atelier.pipeline.lake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.DateTimeException;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.Topics;

/**
 * Turns a record of events.enriched or of a domain topic into a lake row. Every record becomes exactly one row, also
 * one that cannot be read (type {@value #UNREADABLE}, the raw value as payload), so that the lake holds exactly what
 * was consumed and a poison record never stops the loader.
 */
public final class RowMapper {

    /** The type of a record the mapper could not read. */
    public static final String UNREADABLE = "unreadable";

    /** A type becomes a folder name: anything else is replaced (and such types are not Atelier's). */
    static final Pattern SAFE_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern UNSAFE_CHAR = Pattern.compile("[^A-Za-z0-9._-]");

    /**
     * Where a domain payload names the user who acted or whom it is about, most specific first: the actor of a
     * change, then the author or owner, then the user it concerns. auth.user-events name the user as {@code id}.
     */
    private static final List<String> DOMAIN_USER_FIELDS = List.of("addedBy", "removedBy", "changedBy", "deletedBy",
            "updatedBy", "authorId", "ownerId", "userId");

    private final ObjectMapper json;

    public RowMapper(ObjectMapper json) {
        this.json = json;
    }

    public LakeRow map(ConsumerRecord<String, String> record) {
        try {
            return Topics.EVENTS_ENRICHED.equals(record.topic()) ? product(record) : domain(record);
        } catch (JsonProcessingException | RuntimeException e) {
            return unreadable(record);
        }
    }

    private LakeRow product(ConsumerRecord<String, String> record) throws JsonProcessingException {
        JsonNode event = json.readTree(record.value());
        String eventId = text(event.get("event_id"));
        String type = text(event.get("event_type"));
        Instant occurredAt = parseInstant(text(event.get("timestamp")));
        if (eventId == null || type == null || !event.path("data").isObject()) {
            return unreadable(record);
        }
        JsonNode enrichment = event.path("enrichment");
        Instant receivedAt = instant(text(enrichment.get("received_at")), record.timestamp());
        String source = text(enrichment.get("source"));
        if (source == null) {
            source = text(event.path("metadata").get("source"));
        }
        return new LakeRow(eventId, record.topic(), safeType(type), occurredAt, receivedAt, text(event.get("user_id")),
                source, header(record, "ce_subject", eventId), text(enrichment.path("user").get("display_name")),
                json.writeValueAsString(event.get("data")), record.partition(), record.offset());
    }

    private LakeRow domain(ConsumerRecord<String, String> record) throws JsonProcessingException {
        String id = header(record, "ce_id", null);
        String type = header(record, "ce_type", null);
        if (id == null || type == null || record.value() == null) {
            return unreadable(record);
        }
        JsonNode payload = json.readTree(record.value());
        if (payload == null || !payload.isObject()) {
            return unreadable(record);
        }
        Instant received = Instant.ofEpochMilli(record.timestamp());
        return new LakeRow(id, record.topic(), safeType(type), instant(header(record, "ce_time", null), record.timestamp()),
                received, domainUser(record.topic(), payload), header(record, "ce_source", null),
                header(record, "ce_subject", null), null, record.value(), record.partition(), record.offset());
    }

    private static String domainUser(String topic, JsonNode payload) {
        for (String field : DOMAIN_USER_FIELDS) {
            String value = text(payload.get(field));
            if (value != null) {
                return value;
            }
        }
        return Topics.AUTH_USER_EVENTS.equals(topic) ? text(payload.get("id")) : null;
    }

    private static LakeRow unreadable(ConsumerRecord<String, String> record) {
        Instant at = Instant.ofEpochMilli(Math.max(0, record.timestamp()));
        String id = header(record, "ce_id", record.topic() + "-" + record.partition() + "-" + record.offset());
        return new LakeRow(id, record.topic(), UNREADABLE, at, at, null, header(record, "ce_source", null),
                header(record, "ce_subject", null), null, record.value(), record.partition(), record.offset());
    }

    /** The partition value of a type: as is when it is a safe folder name, else with unsafe characters replaced. */
    static String safeType(String type) {
        if (isSafe(type)) {
            return type;
        }
        String replaced = UNSAFE_CHAR.matcher(type).replaceAll("_");
        return replaced.isEmpty() ? UNREADABLE : "x" + replaced.substring(0, Math.min(replaced.length(), 127));
    }

    /** {@link #SAFE_TYPE} without the regex engine (it runs once per row). */
    private static boolean isSafe(String type) {
        int length = type.length();
        if (length < 1 || length > 128 || !isAlphanumeric(type.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = type.charAt(i);
            if (!isAlphanumeric(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static Instant instant(String text, long fallbackMillis) {
        if (text != null) {
            try {
                return parseInstant(text);
            } catch (DateTimeException e) {
                // fall through: the record's own timestamp
            }
        }
        return Instant.ofEpochMilli(Math.max(0, fallbackMillis));
    }

    /**
     * ISO-8601 instants; the common {@code 2026-12-07T10:00:00[.fraction]Z} form without the formatter (which costs
     * more than the rest of a row), any other form (offsets) through {@link Instant#parse}.
     */
    static Instant parseInstant(String text) {
        int length = text.length();
        if (length >= 20 && length <= 30 && text.charAt(length - 1) == 'Z' && text.charAt(4) == '-' && text.charAt(7) == '-'
                && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
                && (length == 20 || text.charAt(19) == '.')) {
            int nanos = 0;
            if (length > 20) {
                int digits = length - 21;
                if (digits < 1 || digits > 9) {
                    return Instant.parse(text);
                }
                nanos = digits(text, 20, length - 1);
                for (int i = digits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || nanos < 0) {
                return Instant.parse(text);
            }
            long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
        }
        return Instant.parse(text);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static String header(ConsumerRecord<String, String> record, String name, String fallback) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? fallback : new String(header.value(), StandardCharsets.UTF_8);
    }
}
