package io.atelier.platform.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The Kafka headers of a binary-mode CloudEvent 1.0, written exactly as SmallRye Reactive Messaging's Kafka connector
 * writes them for an outgoing channel with {@code cloud-events-mode=binary} (KafkaCloudEventHelper.createBinaryRecord):
 * {@code ce_specversion}, {@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_datacontenttype} and
 * {@code content-type}, {@code ce_subject}, {@code ce_time} (RFC 3339 with up to nine fraction digits and the zone)
 * and one {@code ce_<name>} per extension. The intake sends with a plain {@code KafkaProducer} (one emitter message
 * per event cost half of its request threads' CPU), so consumers, the Streams topology and platform/events'
 * {@code CloudEventHeaders} must not be able to tell the difference.
 */
public final class CloudEventRecordHeaders {

    /** The connector's own format for {@code ce_time} (its RFC3339_DATE_FORMAT). */
    static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).appendZoneOrOffsetId().toFormatter();

    private CloudEventRecordHeaders() {
    }

    /**
     * @param subject     {@code ce_subject}, or null for none
     * @param contentType {@code datacontenttype} ({@code ce_datacontenttype} and {@code content-type}), or null
     * @param extensions  extension name (without {@code ce_}) to value, in the order they are written
     */
    public static Headers of(String id, String type, URI source, String subject, ZonedDateTime time, String contentType,
            Map<String, String> extensions) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, "ce_specversion", "1.0");
        add(headers, "ce_id", id);
        add(headers, "ce_type", type);
        add(headers, "ce_source", source.toString());
        if (contentType != null) {
            add(headers, "ce_datacontenttype", contentType);
            add(headers, "content-type", contentType);
        }
        if (subject != null) {
            add(headers, "ce_subject", subject);
        }
        if (time != null) {
            add(headers, "ce_time", TIME.format(time));
        }
        extensions.forEach((name, value) -> add(headers, "ce_" + name, value));
        return headers;
    }

    /** Adds one header, its value as UTF-8. */
    public static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
