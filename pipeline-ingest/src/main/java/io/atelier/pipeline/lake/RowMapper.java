package io.atelier.pipeline.lake;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import io.atelier.pipeline.schema.Timestamps;
import io.atelier.platform.events.Topics;

/**
 * Turns a record of events.enriched or of a domain topic into a lake row. Every record becomes exactly one row, also
 * one that cannot be read (type {@value #UNREADABLE}, the raw value as payload), so that the lake holds exactly what
 * was consumed and a poison record never stops the loader.
 * <p>
 * It reads the record's bytes with Jackson's byte-based streaming parser, straight into the row's fields: no tree, no
 * String of the whole value, and the payload is a slice of the record's own bytes (the {@code data} object of a
 * product event, the whole value of a domain event), which DuckDB's appender takes as it is. Mapping was the larger
 * half of the loader's CPU (docs/pipeline.md, "Benchmark" of the lake).
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

    /**
     * The times a row may hold: years 1 to 9999, which a {@code date=YYYY-MM-DD} folder names and a TIMESTAMP holds.
     * A product event outside them is unreadable; a domain event's {@code ce_time} outside them falls back to the
     * record's timestamp (as an unparsable one does).
     */
    static final long MIN_MICROS = LakeRow.micros(Instant.parse("0001-01-01T00:00:00Z"));
    static final long MAX_MICROS = LakeRow.micros(Instant.parse("9999-12-31T23:59:59.999999Z"));

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** How many distinct types and sources {@link #shared} keeps (far more than the suite has; beyond it, no sharing). */
    static final int SHARED_LIMIT = 4096;

    private final JsonFactory json;
    private final Set<String> productTopics;
    /**
     * One String per distinct type and source: a row waits in memory until its batch is written (two batches of 50,000
     * at most), and each String it holds is copied by every young collection until then. The mapper runs on several
     * threads at once.
     */
    private final ConcurrentHashMap<String, String> repeated = new ConcurrentHashMap<>();

    /** A mapper for the suite's topics: events.enriched holds product events, every other topic domain events. */
    public RowMapper() {
        this(Set.of(Topics.EVENTS_ENRICHED));
    }

    /** A mapper that reads the records of {@code productTopics} as product events, all others as domain events. */
    public RowMapper(Set<String> productTopics) {
        this.productTopics = Set.copyOf(productTopics);
        // Not the shared ObjectMapper's factory: that one detects duplicate names (for requests, where a field given
        // twice is a 400) at the cost of a set per object. These records were written by the suite's own code; a name
        // given twice here counts once, the last, as a tree without detection would read it.
        this.json = JsonFactory.builder().disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    public LakeRow map(ConsumerRecord<byte[], byte[]> record) {
        try {
            return productTopics.contains(record.topic()) ? product(record) : domain(record, CeHeaders.of(record));
        } catch (IOException | RuntimeException e) {
            return unreadable(record, CeHeaders.of(record));
        }
    }

    private LakeRow product(ConsumerRecord<byte[], byte[]> record) throws IOException {
        byte[] value = record.value();
        if (value == null) {
            return unreadable(record, CeHeaders.of(record));
        }
        String eventId = null;
        String type = null;
        String timestamp = null;
        String userId = null;
        int dataStart = -1;
        int dataEnd = -1;
        String metadataSource = null;
        String receivedAt = null;
        String source = null;
        String displayName = null;
        try (JsonParser parser = json.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return unreadable(record, CeHeaders.of(record));
            }
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "event_id" -> eventId = scalar(parser, token);
                    case "event_type" -> type = scalar(parser, token);
                    case "timestamp" -> timestamp = scalar(parser, token);
                    case "user_id" -> userId = scalar(parser, token);
                    case "data" -> {
                        dataStart = -1;
                        if (token == JsonToken.START_OBJECT) {
                            // The object's own bytes, from its '{' to after its '}': the row's payload without re-writing it.
                            dataStart = (int) parser.currentTokenLocation().getByteOffset();
                            parser.skipChildren();
                            dataEnd = (int) parser.currentLocation().getByteOffset();
                        } else {
                            parser.skipChildren();
                        }
                    }
                    case "metadata" -> metadataSource = token == JsonToken.START_OBJECT ? field(parser, "source") : skip(parser);
                    case "enrichment" -> {
                        // A later "enrichment" replaces an earlier one whole, as it would in a tree.
                        receivedAt = null;
                        source = null;
                        displayName = null;
                        if (token != JsonToken.START_OBJECT) {
                            parser.skipChildren();
                            break;
                        }
                        for (String inner = parser.nextFieldName(); inner != null; inner = parser.nextFieldName()) {
                            JsonToken innerToken = parser.nextToken();
                            switch (inner) {
                                case "received_at" -> receivedAt = scalar(parser, innerToken);
                                case "source" -> source = scalar(parser, innerToken);
                                case "user" -> displayName = innerToken == JsonToken.START_OBJECT ? field(parser, "display_name")
                                        : skip(parser);
                                default -> parser.skipChildren();
                            }
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                return unreadable(record, CeHeaders.of(record)); // trailing content after the event
            }
        }
        if (eventId == null || type == null || timestamp == null || dataStart < 0 || dataEnd <= dataStart || dataEnd > value.length) {
            return unreadable(record, CeHeaders.of(record));
        }
        long occurred = parseMicros(timestamp); // a bad time makes the event unreadable (the catch in map)
        // The one header a product row takes: looked up from the end, where a relay puts ce_subject, so fewer header
        // names are decoded than in a pass over all of them.
        String subject = CeHeaders.text(record.headers().lastHeader("ce_subject"));
        // The subject is the event id (the usual case): the row keeps one String for both.
        return new LakeRow(eventId, record.topic(), shared(safeType(type)), occurred,
                micros(receivedAt, record.timestamp(), false), userId, shared(source != null ? source : metadataSource),
                subject == null || subject.equals(eventId) ? eventId : subject, displayName,
                utf8(Arrays.copyOfRange(value, dataStart, dataEnd)), record.partition(), record.offset());
    }

    private LakeRow domain(ConsumerRecord<byte[], byte[]> record, CeHeaders headers) throws IOException {
        String id = headers.id();
        String type = headers.type();
        byte[] value = record.value();
        if (id == null || type == null || value == null) {
            return unreadable(record, headers);
        }
        String[] users = new String[DOMAIN_USER_FIELDS.size()];
        String idField = null;
        try (JsonParser parser = json.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return unreadable(record, headers);
            }
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                int rank = DOMAIN_USER_FIELDS.indexOf(name);
                if (rank >= 0) {
                    users[rank] = scalar(parser, token);
                } else if ("id".equals(name)) {
                    idField = scalar(parser, token);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                return unreadable(record, headers);
            }
        }
        String user = null;
        for (String candidate : users) {
            if (candidate != null) {
                user = candidate;
                break;
            }
        }
        if (user == null && Topics.AUTH_USER_EVENTS.equals(record.topic())) {
            user = idField;
        }
        return new LakeRow(id, record.topic(), shared(safeType(type)), micros(headers.time(), record.timestamp(), true),
                recordMicros(record.timestamp(), false), user, shared(headers.source()), headers.subject(), null, utf8(value),
                record.partition(), record.offset());
    }

    private static LakeRow unreadable(ConsumerRecord<byte[], byte[]> record, CeHeaders headers) {
        long at = recordMicros(record.timestamp(), true);
        String id = headers.id();
        return new LakeRow(id != null ? id : record.topic() + "-" + record.partition() + "-" + record.offset(), record.topic(),
                UNREADABLE, at, at, null, headers.source(), headers.subject(), null,
                record.value() == null ? null : utf8(record.value()), record.partition(), record.offset());
    }

    /** The one String kept for this value, or the value itself once {@link #SHARED_LIMIT} values are kept. */
    String shared(String value) {
        if (value == null) {
            return null;
        }
        String known = repeated.get(value);
        if (known != null) {
            return known;
        }
        if (repeated.size() >= SHARED_LIMIT) {
            return value;
        }
        known = repeated.putIfAbsent(value, value);
        return known != null ? known : value;
    }

    /**
     * The text of a string, number or boolean (as a tree's {@code asText} gives it); null for null, and for an object or
     * an array where a single value belongs (skipped).
     */
    private static String scalar(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                || token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /** Inside an object just started: the scalar value of {@code wanted} (the last, if given twice); the rest skipped. */
    private static String field(JsonParser parser, String wanted) throws IOException {
        String found = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            if (wanted.equals(name)) {
                found = scalar(parser, token);
            } else {
                parser.skipChildren();
            }
        }
        return found;
    }

    private static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    /**
     * The bytes as DuckDB may store them in a VARCHAR: valid UTF-8. The parser has checked the JSON's structure, not
     * every multi-byte sequence (nor does anything for an unreadable value), so anything not plain ASCII is decoded
     * and encoded again, with U+FFFD for what is not UTF-8, as the String the loader used to build of every value.
     */
    static byte[] utf8(byte[] bytes) {
        return ascii(bytes) ? bytes : new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    /** No byte has its high bit set; eight bytes at a time. */
    static boolean ascii(byte[] bytes) {
        long seen = 0;
        int i = 0;
        for (int end = bytes.length - 7; i < end; i += 8) {
            seen |= (long) LONGS.get(bytes, i);
        }
        for (; i < bytes.length; i++) {
            seen |= bytes[i];
        }
        return (seen & 0x8080_8080_8080_8080L) == 0;
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

    /** {@code text} as an instant in microseconds, else the record's timestamp. */
    private static long micros(String text, long fallbackMillis, boolean notBeforeEpoch) {
        if (text != null) {
            try {
                return parseMicros(text);
            } catch (DateTimeException e) {
                // fall through: the record's own timestamp
            }
        }
        return recordMicros(fallbackMillis, notBeforeEpoch);
    }

    /** A record's timestamp in microseconds, within the lake's range (and not before 1970 where the row's time is it). */
    private static long recordMicros(long millis, boolean notBeforeEpoch) {
        long micros = millis > MAX_MICROS / 1_000 ? MAX_MICROS : millis < MIN_MICROS / 1_000 ? MIN_MICROS : millis * 1_000;
        return notBeforeEpoch ? Math.max(0, micros) : micros;
    }

    /**
     * An ISO-8601 instant as microseconds since the epoch (a fraction below the microsecond is cut, as a TIMESTAMP
     * does), read exactly as the intake reads an event's timestamp ({@link Timestamps}: the common shapes by hand,
     * anything else through the formatter), so every time the intake accepted has a place in the lake. Throws
     * DateTimeException when the text is not an instant or lies outside years 1 to 9999.
     */
    static long parseMicros(String text) {
        Instant instant = Timestamps.parse(text);
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_MICROS / 1_000_000 || seconds > MAX_MICROS / 1_000_000) {
            throw new DateTimeException("outside the years a lake row may hold: " + text);
        }
        return LakeRow.micros(instant);
    }

    /**
     * The CloudEvents headers a domain or unreadable row takes, found in one pass over the record's headers (the last
     * of a name counts, as {@code lastHeader} has it) and decoded only when asked for.
     */
    private static final class CeHeaders {

        private static final CeHeaders NONE = new CeHeaders();

        private Header id;
        private Header type;
        private Header time;
        private Header source;
        private Header subject;

        static CeHeaders of(ConsumerRecord<?, ?> record) {
            CeHeaders found = new CeHeaders();
            try {
                for (Header header : record.headers()) {
                    String key = header.key();
                    if (key == null || !key.startsWith("ce_")) {
                        continue;
                    }
                    switch (key) {
                        case "ce_id" -> found.id = header;
                        case "ce_type" -> found.type = header;
                        case "ce_time" -> found.time = header;
                        case "ce_source" -> found.source = header;
                        case "ce_subject" -> found.subject = header;
                        default -> {
                            // other CloudEvents attributes are not columns
                        }
                    }
                }
            } catch (RuntimeException e) {
                return NONE; // headers that cannot be read: the row is made without them
            }
            return found;
        }

        String id() {
            return text(id);
        }

        String type() {
            return text(type);
        }

        String time() {
            return text(time);
        }

        String source() {
            return text(source);
        }

        String subject() {
            return text(subject);
        }

        static String text(Header header) {
            if (header == null) {
                return null;
            }
            byte[] value = header.value();
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }
}
