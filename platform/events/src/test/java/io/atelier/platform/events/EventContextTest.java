package io.atelier.platform.events;

import static io.atelier.platform.events.EventContext.REQUEST_ID_MDC_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.DefaultCloudEventMetadataBuilder;
import io.smallrye.reactive.messaging.ce.impl.DefaultIncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/** Plain JUnit: without Quarkus the OpenTelemetry and MDC storage are thread-locals, which is all this needs. */
class EventContextTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @AfterEach
    void clearMdc() {
        MDC.remove(REQUEST_ID_MDC_KEY);
    }

    @Test
    void capturesNothingOutsideARequestAndATrace() {
        assertThat(EventContext.current()).isEqualTo(EventContext.NONE);
        assertThat(EventContext.NONE.extensions()).isEmpty();
        assertThat(EventContext.NONE.hasTrace()).isFalse();
    }

    @Test
    void capturesTheRequestIdAndTheCurrentSpanAsW3cTraceContext() {
        MDC.put(REQUEST_ID_MDC_KEY, "req-1");
        try (Scope ignored = span(TRACE, SPAN, TraceState.builder().put("vendor", "v1").build()).makeCurrent()) {
            EventContext captured = EventContext.current();

            assertThat(captured.requestId()).isEqualTo("req-1");
            assertThat(captured.traceparent()).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
            assertThat(captured.tracestate()).isEqualTo("vendor=v1");
            assertThat(captured.extensions()).containsOnlyKeys("requestid", "traceparent", "tracestate");
        }
    }

    @Test
    void dropsRequestIdsThatCouldForgeLogLinesOrFloodHeaders() {
        assertThat(new EventContext("ok-1.2:3_x", null, null).requestId()).isEqualTo("ok-1.2:3_x");
        assertThat(new EventContext("a\nFAKE log line", null, null).requestId()).isNull();
        assertThat(new EventContext("x".repeat(129), null, null).requestId()).isNull();
        assertThat(new EventContext("", null, null).requestId()).isNull();
    }

    @Test
    void dropsMalformedTraceContextAndTracestateWithoutTraceparent() {
        assertThat(new EventContext(null, "00-nothex-" + SPAN + "-01", "a=b")).isEqualTo(EventContext.NONE);
        assertThat(new EventContext(null, null, "a=b").tracestate()).isNull();
        assertThat(new EventContext(null, "00-" + TRACE + "-" + SPAN + "-01", "a=" + "b".repeat(600)).tracestate())
                .isNull();
    }

    @Test
    void openPutsTheRequestIdAndTraceInPlaceAndCloseRestoresWhatWasThere() {
        MDC.put(REQUEST_ID_MDC_KEY, "outer");
        EventContext origin = new EventContext("inner", "00-" + TRACE + "-" + SPAN + "-01", null);

        try (Scope ignored = origin.open()) {
            assertThat(MDC.get(REQUEST_ID_MDC_KEY)).isEqualTo("inner");
            assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo(TRACE);
            assertThat(Span.current().getSpanContext().isRemote()).isTrue();
        }

        assertThat(MDC.get(REQUEST_ID_MDC_KEY)).isEqualTo("outer");
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
    }

    @Test
    void anEventWithoutRequestIdClearsAStaleOneForItsDuration() {
        MDC.put(REQUEST_ID_MDC_KEY, "left-over");

        try (Scope ignored = EventContext.NONE.open()) {
            assertThat(MDC.get(REQUEST_ID_MDC_KEY)).isNull();
        }

        assertThat(MDC.get(REQUEST_ID_MDC_KEY)).isEqualTo("left-over");
    }

    @Test
    void restoreReadsTheCloudEventExtensions() {
        Message<String> message = cloudEvent("req-7", "00-" + TRACE + "-" + SPAN + "-01");

        assertThat(EventContext.of(message)).isEqualTo(new EventContext("req-7", "00-" + TRACE + "-" + SPAN + "-01", null));
        try (Scope ignored = EventContext.restore(message)) {
            assertThat(MDC.get(REQUEST_ID_MDC_KEY)).isEqualTo("req-7");
            assertThat(Span.current().getSpanContext().getSpanId()).isEqualTo(SPAN);
        }
        assertThat(MDC.get(REQUEST_ID_MDC_KEY)).isNull();
    }

    @Test
    void restorePrefersTheConsumerSpanThenTheRecordsTraceparentOverTheEventsOwn() {
        String producerSpan = "1111111111111111";
        String consumerSpan = "2222222222222222";
        Message<String> withHeader = cloudEvent("req-8", "00-" + TRACE + "-" + SPAN + "-01")
                .addMetadata(kafkaRecordWithTraceparent("00-" + TRACE + "-" + producerSpan + "-01"));
        Message<String> withConsumerSpan = withHeader.addMetadata(
                TracingMetadata.withCurrent(Context.root().with(span(TRACE, consumerSpan, TraceState.getDefault()))));

        try (Scope ignored = EventContext.restore(withHeader)) {
            assertThat(Span.current().getSpanContext().getSpanId()).isEqualTo(producerSpan);
        }
        try (Scope ignored = EventContext.restore(withConsumerSpan)) {
            assertThat(Span.current().getSpanContext().getSpanId()).isEqualTo(consumerSpan);
            assertThat(MDC.get(REQUEST_ID_MDC_KEY)).isEqualTo("req-8");
        }
    }

    @Test
    void aRecordThatIsNoCloudEventRestoresNothing() {
        try (Scope ignored = EventContext.restore(Message.of("plain"))) {
            assertThat(MDC.get(REQUEST_ID_MDC_KEY)).isNull();
            assertThat(Span.current().getSpanContext().isValid()).isFalse();
        }
    }

    private static Span span(String traceId, String spanId, TraceState state) {
        return Span.wrap(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), state));
    }

    private static Message<String> cloudEvent(String requestId, String traceparent) {
        var ce = new DefaultCloudEventMetadataBuilder<String>()
                .withId("id-1").withSource(URI.create("test")).withType("test.thing.happened")
                .withExtension("requestid", requestId)
                .withExtension("traceparent", traceparent)
                .build();
        return Message.of("{}").addMetadata(new DefaultIncomingCloudEventMetadata<>(ce));
    }

    private static IncomingKafkaRecordMetadata<String, String> kafkaRecordWithTraceparent(String traceparent) {
        var record = new ConsumerRecord<>("topic", 0, 0L, "key", "{}");
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        return new IncomingKafkaRecordMetadata<>(record, "channel");
    }
}
