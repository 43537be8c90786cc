package io.atelier.platform.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.atelier.platform.events.ReceivedEvent.NotACloudEventException;
import io.smallrye.reactive.messaging.ce.CloudEventMetadata;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.ce.impl.DefaultIncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Reads a record's binary-mode CloudEvents attributes (the {@code ce_*} headers) into the metadata the
 * connector would attach, so that {@code ReceivedEvent} and {@code EventContext} work as usual; but a
 * malformed record is refused alone. The connector's own reader throws inside the consumer's stream,
 * which fails the whole channel, and the same record fails it again after every restart. A consumer of an
 * Atelier topic sets {@code cloud-events=false} on its channel and starts with {@link #attach(Message)}.
 */
public final class CloudEventHeaders {

    private static final String PREFIX = "ce_";
    private static final String SPEC_VERSION = PREFIX + CloudEventMetadata.CE_ATTRIBUTE_SPEC_VERSION;
    private static final String ID = PREFIX + CloudEventMetadata.CE_ATTRIBUTE_ID;
    private static final String SOURCE = PREFIX + CloudEventMetadata.CE_ATTRIBUTE_SOURCE;
    private static final String TYPE = PREFIX + CloudEventMetadata.CE_ATTRIBUTE_TYPE;
    private static final String SUBJECT = PREFIX + CloudEventMetadata.CE_ATTRIBUTE_SUBJECT;
    private static final String TIME = PREFIX + CloudEventMetadata.CE_ATTRIBUTE_TIME;
    private static final String DATA_SCHEMA = PREFIX + CloudEventMetadata.CE_ATTRIBUTE_DATA_SCHEMA;
    private static final Set<String> ATTRIBUTES = Set.of(SPEC_VERSION, ID, SOURCE, TYPE, SUBJECT, TIME, DATA_SCHEMA);
    private static final String CONTENT_TYPE = "content-type";
    private static final String STRUCTURED_MODE = "application/cloudevents";

    private CloudEventHeaders() {
    }

    /**
     * The record with its CloudEvents metadata attached, read from its Kafka headers.
     *
     * @throws NotACloudEventException when the record is not a binary-mode CloudEvent 1.0
     */
    public static Message<String> attach(Message<String> record) {
        Headers headers = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getHeaders)
                .orElseGet(RecordHeaders::new);
        return record.addMetadata(read(headers, record.getPayload()));
    }

    /**
     * @throws NotACloudEventException when the headers are not a binary-mode CloudEvent 1.0; its message
     *         names the header at fault, never a value
     */
    public static IncomingCloudEventMetadata<String> read(Headers headers, String payload) {
        Map<String, String> values = new HashMap<>();
        for (Header header : headers) {
            if (header.value() != null) {
                values.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        String contentType = values.get(CONTENT_TYPE);
        if (contentType != null && contentType.startsWith(STRUCTURED_MODE)) {
            throw new NotACloudEventException("structured mode (Atelier topics carry binary-mode CloudEvents)");
        }
        String specVersion = required(values, SPEC_VERSION);
        if (!CloudEventMetadata.CE_VERSION_1_0.equals(specVersion)) {
            throw new NotACloudEventException("unsupported " + SPEC_VERSION);
        }
        Map<String, Object> extensions = new HashMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && !ATTRIBUTES.contains(name)) {
                extensions.put(name.substring(PREFIX.length()), value);
            }
        });
        return new DefaultIncomingCloudEventMetadata<>(specVersion, required(values, ID),
                source(required(values, SOURCE)), required(values, TYPE), contentType, null, values.get(SUBJECT),
                time(values.get(TIME)), extensions, payload);
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new NotACloudEventException("no " + name + " header");
        }
        return value;
    }

    private static URI source(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new NotACloudEventException(SOURCE + " is not a URI reference");
        }
    }

    private static ZonedDateTime time(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new NotACloudEventException(TIME + " is not an RFC 3339 time");
        }
    }
}
