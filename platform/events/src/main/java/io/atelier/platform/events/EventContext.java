package io.atelier.platform.events;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Where an event comes from: the request id and the W3C trace context current when it was recorded.
 *
 * <p>The outbox captures it with {@link #current()} in the publishing transaction, stores it with the
 * event and sends it as CloudEvents extensions ({@code ce_requestid}, and the distributed-tracing
 * extension's {@code ce_traceparent}/{@code ce_tracestate}). A consumer wraps its handling in
 * {@link #restore(Message)}, so its log lines carry the originating request id and its spans join the
 * originating trace:
 *
 * <pre>
 * try (Scope ignored = EventContext.restore(message)) {
 *     ... handle the event ...
 * }
 * </pre>
 *
 * Every component may be null: an event recorded outside a request or a trace carries none.
 */
public record EventContext(String requestId, String traceparent, String tracestate) {

    /** MDC key of the request id; platform/web sets it for HTTP requests, {@link #restore} for consumed events. */
    public static final String REQUEST_ID_MDC_KEY = "requestId";
    /** CloudEvents extension (Kafka header {@code ce_requestid}) with the originating request's id. */
    public static final String REQUEST_ID_EXTENSION = "requestid";
    /** CloudEvents distributed-tracing extension (Kafka header {@code ce_traceparent}): the recording span. */
    public static final String TRACEPARENT_EXTENSION = "traceparent";
    /** CloudEvents distributed-tracing extension (Kafka header {@code ce_tracestate}). */
    public static final String TRACESTATE_EXTENSION = "tracestate";
    /** W3C header that messaging instrumentation reads and writes on the record itself (the hop's span). */
    public static final String TRACEPARENT_HEADER = "traceparent";

    /** No request, no trace. */
    public static final EventContext NONE = new EventContext(null, null, null);

    // The gateway's rule for X-Request-Id. Values from elsewhere (another service's header, an
    // unchecked caller) must not put line breaks or kilobytes into every log line and record.
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final int MAX_TRACESTATE = 512;

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** Drops what is not well-formed rather than failing: the context is a diagnostic, never a reason to lose an event. */
    public EventContext {
        requestId = requestId != null && REQUEST_ID.matcher(requestId).matches() ? requestId : null;
        traceparent = traceparent != null && TRACEPARENT.matcher(traceparent).matches() ? traceparent : null;
        tracestate = traceparent != null && tracestate != null && !tracestate.isBlank()
                && tracestate.length() <= MAX_TRACESTATE ? tracestate : null;
    }

    /**
     * The context of the calling thread: the MDC's request id and the current span (as a W3C
     * {@code traceparent}/{@code tracestate}; none when no valid span is current, e.g. without the
     * OpenTelemetry SDK). Quarkus keeps both in the request's Vert.x duplicated context, so this works
     * on the event loop, worker threads and virtual threads alike.
     */
    public static EventContext current() {
        Object requestId = MDC.get(REQUEST_ID_MDC_KEY);
        Map<String, String> carrier = new HashMap<>(4);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return new EventContext(requestId == null ? null : requestId.toString(), carrier.get("traceparent"),
                carrier.get("tracestate"));
    }

    /** The context a consumed CloudEvent carries in its extensions; {@link #NONE} for a record without them. */
    public static EventContext of(Message<?> message) {
        return message.getMetadata(IncomingCloudEventMetadata.class)
                .map(ce -> new EventContext(extension(ce, REQUEST_ID_EXTENSION), extension(ce, TRACEPARENT_EXTENSION),
                        extension(ce, TRACESTATE_EXTENSION)))
                .orElse(NONE);
    }

    /**
     * Makes the consumed event's context current until the returned scope is closed: its request id in
     * the MDC (or no request id: never a stale one from earlier work on this thread), and as trace
     * context the connector's consumer span when messaging tracing made one, else the record's
     * {@code traceparent} header, else the event's {@code ce_traceparent}. Closing restores what was
     * current before.
     */
    public static Scope restore(Message<?> message) {
        EventContext origin = of(message);
        Context trace = consumerSpan(message)
                .or(() -> transportParent(message))
                .orElseGet(origin::traceContext);
        return origin.open(trace);
    }

    /** Makes this context current (request id in the MDC, {@link #traceContext()} as trace) until the scope closes. */
    public Scope open() {
        return open(traceContext());
    }

    /** The trace context as OpenTelemetry's: the recording span as a remote parent; the root context if none. */
    public Context traceContext() {
        if (traceparent == null) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>(4);
        carrier.put("traceparent", traceparent);
        if (tracestate != null) {
            carrier.put("tracestate", tracestate);
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, MAP_GETTER);
    }

    /** Whether {@link #traceContext()} holds a span to continue. */
    public boolean hasTrace() {
        return Span.fromContext(traceContext()).getSpanContext().isValid();
    }

    /** The CloudEvents extensions this context adds to an outgoing event, by name; absent components are left out. */
    public Map<String, String> extensions() {
        Map<String, String> extensions = new LinkedHashMap<>(4);
        if (requestId != null) {
            extensions.put(REQUEST_ID_EXTENSION, requestId);
        }
        if (traceparent != null) {
            extensions.put(TRACEPARENT_EXTENSION, traceparent);
        }
        if (tracestate != null) {
            extensions.put(TRACESTATE_EXTENSION, tracestate);
        }
        return extensions;
    }

    private Scope open(Context trace) {
        Object previousRequestId = MDC.get(REQUEST_ID_MDC_KEY);
        if (requestId != null) {
            MDC.put(REQUEST_ID_MDC_KEY, requestId);
        } else {
            MDC.remove(REQUEST_ID_MDC_KEY);
        }
        Scope traceScope;
        try {
            traceScope = trace.makeCurrent();
        } catch (RuntimeException e) {
            restoreRequestId(previousRequestId);
            throw e;
        }
        return () -> {
            try {
                traceScope.close();
            } finally {
                restoreRequestId(previousRequestId);
            }
        };
    }

    private static void restoreRequestId(Object previous) {
        if (previous != null) {
            MDC.put(REQUEST_ID_MDC_KEY, previous);
        } else {
            MDC.remove(REQUEST_ID_MDC_KEY);
        }
    }

    private static Optional<Context> consumerSpan(Message<?> message) {
        return TracingMetadata.fromMessage(message)
                .map(TracingMetadata::getCurrentContext)
                .filter(context -> Span.fromContext(context).getSpanContext().isValid());
    }

    private static Optional<Context> transportParent(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(kafka -> kafka.getHeaders().lastHeader(TRACEPARENT_HEADER))
                .map(Header::value)
                .map(value -> new EventContext(null, new String(value, StandardCharsets.UTF_8), null))
                .filter(EventContext::hasTrace)
                .map(EventContext::traceContext);
    }

    private static String extension(IncomingCloudEventMetadata<?> ce, String name) {
        return ce.getExtension(name).map(Object::toString).orElse(null);
    }
}
