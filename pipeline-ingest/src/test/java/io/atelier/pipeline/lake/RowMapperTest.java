package io.atelier.pipeline.lake;

import static io.atelier.pipeline.support.LakeRecords.domain;
import static io.atelier.pipeline.support.LakeRecords.enriched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.Topics;

/**
 * The mapper on records as the consumer hands them over (bytes): every column of a product and a domain event, the
 * payload as the tree-based mapper wrote it, and every record it cannot use becoming one unreadable row (never an
 * exception, never a lost record). Plus its parts: instants, safe type names, the UTF-8 check.
 */
class RowMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RECORD_MILLIS = Instant.parse("2026-12-07T08:00:00Z").toEpochMilli();
    private static final Instant AT = Instant.parse("2026-12-07T07:59:58.123456Z");

    private final RowMapper mapper = new RowMapper();

    /** The producer's record as the consumer delivers it: bytes, at partition 2, offset 41, with RECORD_MILLIS. */
    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<String, String> sent) {
        return record(sent.topic(), sent.value() == null ? null : sent.value().getBytes(StandardCharsets.UTF_8),
                sent.headers() instanceof RecordHeaders h ? h : new RecordHeaders(sent.headers().toArray()), RECORD_MILLIS);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value, RecordHeaders headers, long timestamp) {
        return new ConsumerRecord<>(topic, 2, 41, timestamp, TimestampType.CREATE_TIME, 0, value == null ? -1 : value.length,
                null, value, headers, Optional.empty());
    }

    private static ConsumerRecord<byte[], byte[]> product(String json) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "header-id".getBytes(StandardCharsets.UTF_8));
        return record(Topics.EVENTS_ENRICHED, json.getBytes(StandardCharsets.UTF_8), headers, RECORD_MILLIS);
    }

    private static String event(String fields) {
        return "{\"event_id\":\"e1\",\"event_type\":\"page_view\",\"timestamp\":\"" + AT + "\"" + fields + "}";
    }

    private static long micros(Instant instant) {
        return LakeRow.micros(instant);
    }

    private static void assertUnreadable(LakeRow row, String id, String payload) {
        assertThat(row.type()).isEqualTo(RowMapper.UNREADABLE);
        assertThat(row.eventId()).isEqualTo(id);
        assertThat(row.payloadText()).isEqualTo(payload);
        assertThat(row.occurredMicros()).isEqualTo(RECORD_MILLIS * 1000).isEqualTo(row.receivedMicros());
        assertThat(row.partition()).isEqualTo(2);
        assertThat(row.offset()).isEqualTo(41);
    }

    @Test
    void productEventFillsEveryColumn() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("page", "/pricing");
        data.put("title", "Pricing");
        LakeRow row = mapper.map(consumed(enriched("e-42", "page_view", AT, "u-7", data, "Ada")));
        assertThat(row.eventId()).isEqualTo("e-42");
        assertThat(row.topic()).isEqualTo(Topics.EVENTS_ENRICHED);
        assertThat(row.type()).isEqualTo("page_view");
        assertThat(row.occurredAt()).isEqualTo(AT);
        assertThat(row.receivedAt()).isEqualTo(AT.plusMillis(250));
        assertThat(row.userId()).isEqualTo("u-7");
        assertThat(row.source()).isEqualTo("web");
        assertThat(row.subject()).isEqualTo("e-42");
        assertThat(row.displayName()).isEqualTo("Ada");
        assertThat(row.payloadText()).isEqualTo("{\"page\":\"/pricing\",\"title\":\"Pricing\"}");
        assertThat(row.partition()).isEqualTo(2);
        assertThat(row.offset()).isEqualTo(41);
        assertThat(row.day()).hasToString("2026-12-07");
    }

    @Test
    void payloadIsTheDataObjectAsTheTreeMapperWroteIt() throws Exception {
        // What the Streams topology writes (Jackson, compact): the slice of the record is byte for byte what the
        // earlier mapper wrote by re-serialising the parsed data, so files before and after hold the same text.
        List<Map<String, Object>> samples = List.of(Map.of(),
                Map.of("page", "/p", "n", 3, "ratio", 0.25, "ok", true, "none", Map.of()),
                Map.of("nested", Map.of("list", List.of(1, "two", Map.of("three", List.of())), "deep", Map.of("a", Map.of("b", "c")))),
                Map.of("text", "quote \" backslash \\ tab \t newline \n control \u0001 slash / done"),
                Map.of("unicode", "café 東京 emoji \uD83D\uDE80", "other", "Ünïcödé"));
        for (Map<String, Object> data : samples) {
            ProducerRecord<String, String> sent = enriched("e", "page_view", AT, "u", data, null);
            LakeRow row = mapper.map(consumed(sent));
            assertThat(row.type()).as("%s", data).isEqualTo("page_view");
            assertThat(row.payloadText()).as("%s", data).isEqualTo(JSON.writeValueAsString(JSON.readTree(sent.value()).get("data")));
        }
    }

    @Test
    void productEventFallsBackWhereTheContractAllows() {
        // No enrichment: received_at is the record's time, source comes from metadata; no ce_subject: the event id.
        LakeRow row = mapper.map(product(event(",\"user_id\":null,\"data\":{},\"metadata\":{\"source\":\"ios\"}")));
        assertThat(row.type()).isEqualTo("page_view");
        assertThat(row.receivedMicros()).isEqualTo(RECORD_MILLIS * 1000);
        assertThat(row.source()).isEqualTo("ios");
        assertThat(row.subject()).isEqualTo("e1");
        assertThat(row.userId()).isNull();
        assertThat(row.displayName()).isNull();
        // A bad received_at is the record's time too; enrichment.source wins over metadata.source; no user: no name.
        row = mapper.map(product(event(",\"data\":{\"a\":1},\"metadata\":{\"source\":\"ios\"},"
                + "\"enrichment\":{\"received_at\":\"soon\",\"source\":\"web\",\"user\":null}")));
        assertThat(row.receivedMicros()).isEqualTo(RECORD_MILLIS * 1000);
        assertThat(row.source()).isEqualTo("web");
        assertThat(row.displayName()).isNull();
        assertThat(row.payloadText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void fieldsInAnyOrderUnknownFieldsAndWhitespaceAreFine() {
        LakeRow row = mapper.map(product("""
                 {
                   "extra": {"data": {"not": "this one"}, "event_id": "no"},
                   "data" : { "page" : "/x" , "list": [1, {"event_id": 2}] },
                   "list": [{"a": [[]]}, "b", 3.5e3, null, true],
                   "timestamp": "2026-12-07T07:59:58.123456Z",
                   "enrichment": {"user": {"display_name": "Grace", "x": {"display_name": "no"}}, "later": 1},
                   "event_type": "user_action",
                   "event_id": "e9"
                 }
                """));
        assertThat(row.eventId()).isEqualTo("e9");
        assertThat(row.type()).isEqualTo("user_action");
        assertThat(row.displayName()).isEqualTo("Grace");
        assertThat(row.occurredAt()).isEqualTo(AT);
        assertThat(row.payloadText()).isEqualTo("{ \"page\" : \"/x\" , \"list\": [1, {\"event_id\": 2}] }");
    }

    @Test
    void scalarsOfOtherTypesReadAsTextAndStructuresAsAbsent() {
        LakeRow row = mapper.map(product("{\"event_id\":123,\"event_type\":true,\"timestamp\":\"" + AT
                + "\",\"user_id\":{\"id\":\"u\"},\"data\":{},\"enrichment\":{\"source\":[\"web\"],\"user\":\"Ada\"}}"));
        assertThat(row.eventId()).isEqualTo("123");
        assertThat(row.type()).isEqualTo("true");
        assertThat(row.userId()).isNull();
        assertThat(row.source()).isNull();
        assertThat(row.displayName()).isNull();
    }

    @Test
    void aNameGivenTwiceCountsOnceTheLast() {
        LakeRow row = mapper.map(product(event(",\"data\":{\"v\":1},\"data\":{\"v\":2},\"user_id\":\"a\",\"user_id\":\"b\","
                + "\"enrichment\":{\"source\":\"web\",\"user\":{\"display_name\":\"Ada\"}},\"enrichment\":{\"received_at\":\"" + AT + "\"}")));
        assertThat(row.payloadText()).isEqualTo("{\"v\":2}");
        assertThat(row.userId()).isEqualTo("b");
        // The later enrichment replaces the earlier whole, as in a tree.
        assertThat(row.source()).isNull();
        assertThat(row.displayName()).isNull();
        assertThat(row.receivedAt()).isEqualTo(AT);
    }

    @Test
    void unusableProductEventsAreUnreadableRowsWithTheirRawValue() {
        String valid = event(",\"data\":{}");
        for (String value : List.of("not json {", "", "   ", "null", "[]", "[" + valid + "]", "\"text\"", "42",
                "{\"event_type\":\"page_view\",\"timestamp\":\"" + AT + "\",\"data\":{}}", // no event_id
                "{\"event_id\":\"e1\",\"timestamp\":\"" + AT + "\",\"data\":{}}", // no event_type
                "{\"event_id\":\"e1\",\"event_type\":\"page_view\",\"data\":{}}", // no timestamp
                event(""), event(",\"data\":null"), event(",\"data\":[1]"), event(",\"data\":\"{}\""), // no data object
                "{\"event_id\":{\"x\":1},\"event_type\":\"t\",\"timestamp\":\"" + AT + "\",\"data\":{}}", // id not a value
                event(",\"data\":{}").replace(AT.toString(), "yesterday"),
                event(",\"data\":{}").replace(AT.toString(), "+10000-01-01T00:00:00Z"), // beyond a date folder
                event(",\"data\":{}").replace(AT.toString(), "2026-02-30T10:00:00Z"),
                event(",\"data\":{}").replace("\"timestamp\":\"" + AT + "\"", "\"timestamp\":1733558400000"),
                valid + " trailing", valid + valid, valid.substring(0, valid.length() - 1), // trailing or truncated
                event(",\"data\":{\"a\":}"), event(",\"data\":{'a':1}"), "{\"event_id\":\"e1\" \"x\":1}")) {
            assertUnreadable(mapper.map(product(value)), "header-id", value);
        }
        // A tombstone: no value at all, still one row.
        assertUnreadable(mapper.map(record(Topics.EVENTS_ENRICHED, null, new RecordHeaders(), RECORD_MILLIS)),
                Topics.EVENTS_ENRICHED + "-2-41", null);
    }

    @Test
    void valuesThatAreNotUtf8BecomeUnreadableWithReplacementCharacters() {
        byte[] value = event(",\"data\":{\"a\":\"\u00ff\"}").getBytes(StandardCharsets.UTF_8);
        // Break the two-byte sequence of ÿ (C3 BF): a lead byte without its continuation.
        for (int i = 0; i < value.length; i++) {
            if (value[i] == (byte) 0xBF) {
                value[i] = 'x';
            }
        }
        LakeRow row = mapper.map(record(Topics.EVENTS_ENRICHED, value, new RecordHeaders(), RECORD_MILLIS));
        assertThat(row.type()).isEqualTo(RowMapper.UNREADABLE);
        assertThat(row.payloadText()).contains("\uFFFD").isEqualTo(new String(value, StandardCharsets.UTF_8));
        // What DuckDB gets is valid UTF-8: it decodes and encodes to itself.
        assertThat(new String(row.payload(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)).isEqualTo(row.payload());
        // Encoded surrogates (ED A0 80) inside a string are not UTF-8 either; the payload carries U+FFFD instead.
        byte[] surrogate = event(",\"data\":{\"a\":\"__X__\"}").getBytes(StandardCharsets.UTF_8);
        String text = new String(surrogate, StandardCharsets.ISO_8859_1).replace("__X__", "\u00ed\u00a0\u0080");
        LakeRow odd = mapper.map(record(Topics.EVENTS_ENRICHED, text.getBytes(StandardCharsets.ISO_8859_1), new RecordHeaders(),
                RECORD_MILLIS));
        assertThat(odd.payloadText()).doesNotContain("\u00ed").contains("\uFFFD");
    }

    @Test
    void hugeAndDeepValuesAreHandled() {
        String big = "x".repeat(900_000); // about Kafka's default record limit
        LakeRow row = mapper.map(product(event(",\"data\":{\"blob\":\"" + big + "\"}")));
        assertThat(row.type()).isEqualTo("page_view");
        assertThat(row.payload()).hasSize(big.length() + 11);
        // A type too long for a folder is cut, not refused.
        row = mapper.map(product(event(",\"data\":{}").replace("page_view", "t".repeat(5_000))));
        assertThat(row.type()).hasSize(128).isEqualTo(RowMapper.safeType("t".repeat(5_000)));
        // Nesting deeper than Jackson's limit is refused by the parser: an unreadable row, not a stack overflow.
        String deep = event(",\"data\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000));
        assertUnreadable(mapper.map(product(deep)), "header-id", deep);
    }

    @Test
    void headersAreReadOnceTheLastOfANameCountingAndOthersIgnored() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_subject", "first".getBytes(StandardCharsets.UTF_8));
        headers.add("x-unknown", "?".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_dataschema", "urn:x".getBytes(StandardCharsets.UTF_8));
        headers.add("", null);
        headers.add("ce_subject", "last".getBytes(StandardCharsets.UTF_8));
        LakeRow row = mapper.map(record(Topics.EVENTS_ENRICHED, event(",\"data\":{}").getBytes(StandardCharsets.UTF_8), headers,
                RECORD_MILLIS));
        assertThat(row.subject()).isEqualTo("last");
        // A header without a value counts as absent (the event id stands in for the subject).
        headers.add("ce_subject", null);
        row = mapper.map(record(Topics.EVENTS_ENRICHED, event(",\"data\":{}").getBytes(StandardCharsets.UTF_8), headers,
                RECORD_MILLIS));
        assertThat(row.subject()).isEqualTo("e1");
    }

    @Test
    void domainEventTakesItsHeadersAndTheWholeValue() {
        String payload = "{\"postId\":\"p1\",\"authorId\":\"u1\",\"updatedBy\":\"u2\",\"title\":\"Café\"}";
        LakeRow row = mapper.map(record(Topics.CONTENT_EVENTS, payload.getBytes(StandardCharsets.UTF_8),
                headers("c1", "content.post.updated", AT.toString()), RECORD_MILLIS));
        assertThat(row.eventId()).isEqualTo("c1");
        assertThat(row.topic()).isEqualTo(Topics.CONTENT_EVENTS);
        assertThat(row.type()).isEqualTo("content.post.updated");
        assertThat(row.occurredAt()).isEqualTo(AT);
        assertThat(row.receivedMicros()).isEqualTo(RECORD_MILLIS * 1000);
        assertThat(row.userId()).isEqualTo("u2"); // the actor before the author
        assertThat(row.source()).isEqualTo("content-service");
        assertThat(row.subject()).isEqualTo("p1");
        assertThat(row.displayName()).isNull();
        assertThat(row.payloadText()).isEqualTo(payload);
        assertThat(row.payload()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));

        // As a service's outbox relay writes it.
        LakeRow relayed = mapper.map(consumed(domain(Topics.CONTENT_EVENTS, "c2", "content.post.created", "content-service",
                "p2", AT, Map.of("authorId", "u5"))));
        assertThat(relayed.eventId()).isEqualTo("c2");
        assertThat(relayed.userId()).isEqualTo("u5");
        assertThat(relayed.subject()).isEqualTo("p2");
        assertThat(relayed.source()).isEqualTo("content-service");
        assertThat(relayed.occurredAt()).isEqualTo(AT);
        assertThat(relayed.payloadText()).isEqualTo("{\"authorId\":\"u5\"}");
    }

    private static RecordHeaders headers(String id, String type, String time) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        if (id != null) {
            headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        }
        if (type != null) {
            headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        }
        headers.add("ce_source", "content-service".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_subject", "p1".getBytes(StandardCharsets.UTF_8));
        if (time != null) {
            headers.add("ce_time", time.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private LakeRow domainRow(String topic, String payload, RecordHeaders headers) {
        return mapper.map(record(topic, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), headers, RECORD_MILLIS));
    }

    @Test
    void domainUserComesFromTheMostSpecificField() {
        assertThat(domainRow(Topics.WORKSPACE_EVENTS, "{\"userId\":\"u3\",\"ownerId\":\"u2\",\"addedBy\":\"u1\"}",
                headers("w1", "workspace.member.added", null)).userId()).isEqualTo("u1");
        assertThat(domainRow(Topics.WORKSPACE_EVENTS, "{\"userId\":\"u3\",\"ownerId\":null}", headers("w1", "t", null)).userId())
                .isEqualTo("u3");
        assertThat(domainRow(Topics.WORKSPACE_EVENTS, "{\"ownerId\":{\"id\":\"u\"},\"userId\":7}", headers("w1", "t", null)).userId())
                .isEqualTo("7");
        assertThat(domainRow(Topics.AUTH_USER_EVENTS, "{\"id\":\"u9\",\"email\":\"a@b\"}", headers("a1", "auth.user.created", null))
                .userId()).isEqualTo("u9");
        assertThat(domainRow(Topics.CONTENT_EVENTS, "{\"id\":\"p9\"}", headers("c1", "content.post.deleted", null)).userId()).isNull();
    }

    @Test
    void domainTimeFallsBackToTheRecordsTimestamp() {
        for (String time : new String[] { null, "later", "2026-13-01T00:00:00Z", "+10000-01-01T00:00:00Z" }) {
            LakeRow row = domainRow(Topics.JOBS_STATUS, "{\"status\":\"RUNNING\"}", headers("j1", "jobs.job.status-changed", time));
            assertThat(row.type()).as(time).isEqualTo("jobs.job.status-changed");
            assertThat(row.occurredMicros()).as(time).isEqualTo(RECORD_MILLIS * 1000);
        }
        LakeRow offset = domainRow(Topics.JOBS_STATUS, "{}", headers("j1", "t", "2026-12-07T09:59:58.123456+02:00"));
        assertThat(offset.occurredAt()).isEqualTo(AT);
    }

    @Test
    void unusableDomainEventsAreUnreadableRows() {
        assertUnreadable(domainRow(Topics.CONTENT_EVENTS, "{}", headers(null, "content.post.created", null)),
                Topics.CONTENT_EVENTS + "-2-41", "{}");
        assertUnreadable(domainRow(Topics.CONTENT_EVENTS, "{}", headers("c1", null, null)), "c1", "{}");
        for (String value : List.of("not json {", "[]", "\"s\"", "null", "", "{} {}", "{\"a\":")) {
            assertUnreadable(domainRow(Topics.CONTENT_EVENTS, value, headers("c1", "content.post.created", null)), "c1", value);
        }
        assertUnreadable(domainRow(Topics.CONTENT_EVENTS, null, headers("c1", "content.post.created", null)), "c1", null);
        // An unreadable row's times are never before 1970 (a record without a timestamp says -1).
        LakeRow untimed = mapper.map(record(Topics.CONTENT_EVENTS, "x".getBytes(StandardCharsets.UTF_8), new RecordHeaders(), -1));
        assertThat(untimed.type()).isEqualTo(RowMapper.UNREADABLE);
        assertThat(untimed.occurredMicros()).isZero();
    }

    @Test
    void theProductTopicsAreConfigurable() {
        String value = event(",\"data\":{\"page\":\"/b\"}");
        RecordHeaders headers = headers("c1", "pipeline.event.enriched", null);
        // By default only events.enriched holds product events: another topic's record is a domain event.
        LakeRow asDomain = mapper.map(record("bench.lake.x", value.getBytes(StandardCharsets.UTF_8), headers, RECORD_MILLIS));
        assertThat(asDomain.type()).isEqualTo("pipeline.event.enriched");
        assertThat(asDomain.payloadText()).isEqualTo(value);
        LakeRow asProduct = new RowMapper(java.util.Set.of("bench.lake.x"))
                .map(record("bench.lake.x", value.getBytes(StandardCharsets.UTF_8), headers, RECORD_MILLIS));
        assertThat(asProduct.type()).isEqualTo("page_view");
        assertThat(asProduct.topic()).isEqualTo("bench.lake.x");
        assertThat(asProduct.payloadText()).isEqualTo("{\"page\":\"/b\"}");
    }

    @Test
    void parsesInstantsAsInstantParseDoesToTheMicrosecond() {
        for (String text : new String[] { "2026-12-07T10:00:00Z", "2026-12-07T10:00:00.1Z", "2024-02-29T23:59:59.123456789Z",
                "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
                "2026-12-07T10:00:00+02:00", "2026-12-07T10:00:00.5-01:30" }) {
            Instant expected = Instant.parse(text);
            assertThat(RowMapper.parseMicros(text)).as(text)
                    .isEqualTo(expected.getEpochSecond() * 1_000_000L + expected.getNano() / 1_000);
        }
        for (String bad : new String[] { "2026-02-30T10:00:00Z", "2026-12-07T25:00:00Z", "yesterday", "0000-12-31T00:00:00Z",
                "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-12-07T10:00:00.1234567890Z", "" }) {
            assertThatThrownBy(() -> RowMapper.parseMicros(bad)).as(bad).isInstanceOf(DateTimeException.class);
        }
    }

    @Test
    void typesBecomeSafeFolderNames() {
        assertThat(RowMapper.safeType("content.post.created")).isEqualTo("content.post.created");
        assertThat(RowMapper.safeType("page_view")).isEqualTo("page_view");
        assertThat(RowMapper.safeType("../etc/passwd")).isEqualTo("x.._etc_passwd");
        assertThat(RowMapper.safeType("a/b=c")).isEqualTo("xa_b_c");
        // The check without the regex agrees with the documented pattern.
        for (String type : List.of("a", "A-b_c.d", "9lives", "_x", ".x", "-x", "é", "aé", "a b", "a/b", "", "a".repeat(128),
                "a".repeat(129), "page_view\n", "jobs.job.status-changed")) {
            assertThat(RowMapper.safeType(type).equals(type)).as(type).isEqualTo(RowMapper.SAFE_TYPE.matcher(type).matches());
        }
    }

    @Test
    void rowsShareOneStringPerTypeAndSourceAndTheSubjectWithTheId() {
        LakeRow first = mapper.map(consumed(enriched("page_view", AT, "u1", Map.of("page", "/a"))));
        LakeRow second = mapper.map(consumed(enriched("page_view", AT, "u2", Map.of("page", "/b"))));
        assertThat(second.type()).isEqualTo("page_view").isSameAs(first.type());
        assertThat(second.source()).isEqualTo("web").isSameAs(first.source());
        assertThat(first.subject()).isEqualTo(first.eventId()).isSameAs(first.eventId());
        // Bounded: past the limit a value is used as it is, not kept.
        RowMapper small = new RowMapper();
        for (int i = 0; i < RowMapper.SHARED_LIMIT; i++) {
            small.shared("t" + i);
        }
        String late = new String("late");
        assertThat(small.shared(late)).isSameAs(late);
        assertThat(small.shared(new String("late"))).isNotSameAs(late);
        assertThat(small.shared(new String("t1"))).isSameAs(small.shared("t1"));
    }

    @Test
    void asciiCheckSeesAHighBitAnywhere() {
        for (int length = 0; length < 40; length++) {
            byte[] bytes = "a".repeat(length).getBytes(StandardCharsets.US_ASCII);
            assertThat(RowMapper.ascii(bytes)).isTrue();
            for (int i = 0; i < length; i++) {
                byte[] copy = bytes.clone();
                copy[i] = (byte) 0x80;
                assertThat(RowMapper.ascii(copy)).as("%d at %d", length, i).isFalse();
            }
        }
        byte[] plain = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(RowMapper.utf8(plain)).isSameAs(plain); // no copy for plain ASCII
        byte[] unicode = "{\"a\":\"東京\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(RowMapper.utf8(unicode)).isEqualTo(unicode);
    }
}
