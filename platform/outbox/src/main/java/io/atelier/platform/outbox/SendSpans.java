package io.atelier.platform.outbox;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The relay's producer spans, made by hand now that it sends with a plain producer: each send is a {@code PRODUCER}
 * span, child of the span that recorded the event (not of the relay, whose own work is never traced), named and
 * described as OpenTelemetry's messaging conventions say, and its context goes on the record as {@code traceparent}
 * (and {@code tracestate}), where consumers' instrumentation continues the trace. An event recorded outside any
 * trace gets neither.
 */
final class SendSpans {

    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    private static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<String> MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final TextMapSetter<Headers> HEADERS = (headers, name, value) -> {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    };

    private final OpenTelemetry telemetry;
    private final Tracer tracer;

    SendSpans(OpenTelemetry telemetry) {
        this.telemetry = telemetry;
        this.tracer = telemetry.getTracer("io.atelier.platform.outbox");
    }

    /**
     * Starts the send's span under {@code recorded} and writes its context into {@code headers}; the invalid span
     * (nothing written) when {@code recorded} holds no span.
     */
    Span start(Context recorded, String topic, String eventId, String key, Headers headers) {
        if (!Span.fromContext(recorded).getSpanContext().isValid()) {
            return Span.getInvalid();
        }
        Span span = tracer.spanBuilder(topic + " publish")
                .setParent(recorded)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION_NAME, "publish")
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(MESSAGE_ID, eventId)
                .setAttribute(MESSAGE_KEY, key)
                .startSpan();
        telemetry.getPropagators().getTextMapPropagator().inject(recorded.with(span), headers, HEADERS);
        return span;
    }

    /** Ends the span with the broker's answer. */
    static void end(Span span, RecordMetadata acknowledged, Exception failure) {
        if (!span.getSpanContext().isValid()) {
            return;
        }
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        } else if (acknowledged != null) {
            span.setAttribute(PARTITION, String.valueOf(acknowledged.partition()));
            span.setAttribute(OFFSET, acknowledged.offset());
        }
        span.end();
    }
}
