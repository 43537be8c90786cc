package io.atelier.platform.outbox;

import static io.atelier.platform.events.EventContext.REQUEST_ID_MDC_KEY;
import static io.atelier.platform.outbox.OutboxTestSupport.strings;
import static io.atelier.platform.testing.CloudEventRecords.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.outbox.fixture.HandledContexts;
import io.atelier.platform.outbox.fixture.NoteRecorded;
import io.atelier.platform.outbox.fixture.Notes;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;

/** The request id and the trace cross Kafka with the event, although the relay sends it later from its own thread. */
@QuarkusTest
class OutboxTracingTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Inject
    Notes notes;

    @Inject
    Tracer tracer;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    HandledContexts handled;

    @Inject
    AgroalDataSource dataSource;

    KafkaTopicReader topic;

    @BeforeEach
    void readFixtureTopic() {
        MDC.remove(REQUEST_ID_MDC_KEY);
        topic = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), NoteRecorded.TOPIC);
    }

    @AfterEach
    void close() {
        topic.close();
        MDC.remove(REQUEST_ID_MDC_KEY);
    }

    @Test
    void eventCarriesTheRequestIdAndItsSendContinuesTheTraceItWasRecordedIn() {
        String aggregate = "agg-" + UUID.randomUUID();
        String requestId = "req-" + UUID.randomUUID();

        SpanContext recording = recordInRequest(aggregate, requestId).recording();

        ConsumerRecord<String, String> record = topic.await(r -> aggregate.equals(r.key()), DELIVERY).get(0);
        assertThat(header(record, "ce_requestid")).isEqualTo(requestId);
        assertThat(header(record, "ce_traceparent"))
                .isEqualTo("00-%s-%s-01".formatted(recording.getTraceId(), recording.getSpanId()));
        assertThat(header(record, "ce_tracestate")).isNull();
        // The record's own traceparent is the send's span: same trace, one hop further.
        String[] hop = header(record, "traceparent").split("-");
        assertThat(hop[1]).isEqualTo(recording.getTraceId());
        assertThat(hop[2]).isNotEqualTo(recording.getSpanId());

        SpanData send = awaitSpan(s -> s.getKind() == SpanKind.PRODUCER && s.getTraceId().equals(recording.getTraceId()));
        assertThat(send.getParentSpanId()).isEqualTo(recording.getSpanId());
        assertThat(send.getSpanId()).isEqualTo(hop[2]);
        assertThat(send.getName()).contains(NoteRecorded.TOPIC);
    }

    @Test
    void theRelaysOwnPollingLockingAndMarkingIsNeverTraced() {
        String aggregate = "agg-" + UUID.randomUUID();
        SpanContext recording = recordInRequest(aggregate, "req-" + UUID.randomUUID()).recording();
        topic.await(r -> aggregate.equals(r.key()), DELIVERY);
        // The batch exporter exports in the order spans end; once the send's span is out, so is every
        // span of the relay pass that sent it (its lock and its read end before the send starts).
        awaitSpan(s -> s.getKind() == SpanKind.PRODUCER && s.getTraceId().equals(recording.getTraceId()));

        List<SpanData> finished = spans.getFinishedSpanItems();
        // JDBC tracing is on: the request's INSERT is a span of its trace, and so is a query outside any trace...
        assertThat(finished).anyMatch(s -> s.getTraceId().equals(recording.getTraceId())
                && mentions(s, "INSERT INTO atelier_outbox"));
        assertThat(strings(dataSource, "SELECT ? AS outside_any_trace", aggregate)).hasSize(1);
        awaitSpan(s -> mentions(s, "outside_any_trace"));
        // ...but the relay, which locks, reads and marks every second, left none (statements as sanitised).
        // (Flyway's DDL at start, when it migrates a fresh schema, mentions the same condition: not the relay's.)
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> !s.getName().startsWith("CREATE"))
                .filteredOn(s -> mentions(s, "hashtext(current_schema()") || mentions(s, "WHERE sent_at IS NULL")
                        || mentions(s, "UPDATE atelier_outbox SET sent_at") || s.getName().contains("OutboxRelay"))
                .extracting(s -> s.getName() + " " + s.getAttributes().asMap().values())
                .isEmpty();
    }

    @Test
    void eventRecordedOutsideAnyRequestOrTraceCarriesNoContextAndIsStillDeliveredAndApplied() {
        String aggregate = "agg-" + UUID.randomUUID();
        assertThat(Span.current().getSpanContext().isValid()).isFalse();

        UUID eventId = notes.record(aggregate, "no context");

        ConsumerRecord<String, String> record = topic.await(r -> aggregate.equals(r.key()), DELIVERY).get(0);
        assertThat(header(record, "ce_id")).isEqualTo(eventId.toString());
        assertThat(Arrays.stream(record.headers().toArray()).map(Header::key))
                .doesNotContain("ce_requestid", "ce_traceparent", "ce_tracestate", "traceparent");
        assertThat(strings(dataSource, "SELECT concat(request_id, traceparent, tracestate) FROM atelier_outbox WHERE id = ?",
                eventId)).containsExactly("");
        HandledContexts.Seen seen = awaitHandled(eventId);
        assertThat(seen.requestId()).isNull();
        assertThat(strings(dataSource, "SELECT body FROM applied_note WHERE event_id = ?", eventId.toString()))
                .containsExactly("no context");
    }

    @Test
    void consumerHandlesTheEventWithTheOriginatingRequestIdAndTraceInItsLogContext() {
        String aggregate = "agg-" + UUID.randomUUID();
        String requestId = "req-" + UUID.randomUUID();

        Recorded recorded = recordInRequest(aggregate, requestId);

        HandledContexts.Seen seen = awaitHandled(recorded.eventId());
        assertThat(seen.requestId()).isEqualTo(requestId);
        assertThat(seen.traceId()).isEqualTo(recorded.recording().getTraceId());
        assertThat(seen.logTraceId()).isEqualTo(recorded.recording().getTraceId());
        // Once handled, the request id is gone again: the next event on that thread starts clean.
        assertThat(seen.requestIdAfter()).isNull();
    }

    /** platform/web's filter puts X-Request-Id into the MDC; here the fixture's stand-in does. */
    @ParameterizedTest
    @ValueSource(strings = { "worker", "virtual" })
    void anHttpRequestsIdAndTraceReachTheEventAndItsConsumer(String thread) {
        String aggregate = "agg-" + UUID.randomUUID();
        String requestId = "req-" + UUID.randomUUID();
        String traceId = randomHex(16);
        String callerSpan = randomHex(8);

        String eventId = given().header("X-Request-Id", requestId)
                .header("traceparent", "00-%s-%s-01".formatted(traceId, callerSpan))
                .body("via " + thread)
                .when().post("/notes/{thread}/{aggregate}", thread, aggregate)
                .then().statusCode(200).extract().asString();

        ConsumerRecord<String, String> record = topic.await(r -> aggregate.equals(r.key()), DELIVERY).get(0);
        assertThat(header(record, "ce_id")).isEqualTo(eventId);
        assertThat(header(record, "ce_requestid")).isEqualTo(requestId);
        String[] recording = header(record, "ce_traceparent").split("-");
        assertThat(recording[1]).isEqualTo(traceId);
        assertThat(recording[2]).as("the server's span, not the caller's").isNotEqualTo(callerSpan);
        HandledContexts.Seen seen = awaitHandled(UUID.fromString(eventId));
        assertThat(seen.requestId()).isEqualTo(requestId);
        assertThat(seen.traceId()).isEqualTo(traceId);
    }

    private record Recorded(UUID eventId, SpanContext recording) {
    }

    /** What a request does: its id in the MDC, its span current, and a state change with its event. */
    private Recorded recordInRequest(String aggregate, String requestId) {
        Span request = tracer.spanBuilder("test request").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = request.makeCurrent()) {
            MDC.put(REQUEST_ID_MDC_KEY, requestId);
            return new Recorded(notes.record(aggregate, "traced"), request.getSpanContext());
        } finally {
            MDC.remove(REQUEST_ID_MDC_KEY);
            request.end();
        }
    }

    private SpanData awaitSpan(Predicate<SpanData> match) {
        return await().atMost(DELIVERY).until(() -> spans.getFinishedSpanItems().stream().filter(match).findFirst(),
                Optional::isPresent).get();
    }

    private HandledContexts.Seen awaitHandled(UUID eventId) {
        return await().atMost(DELIVERY).until(() -> handled.of(eventId.toString()), Optional::isPresent).get();
    }

    private static boolean mentions(SpanData span, String text) {
        return span.getName().contains(text)
                || span.getAttributes().asMap().values().stream().anyMatch(v -> String.valueOf(v).contains(text));
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
