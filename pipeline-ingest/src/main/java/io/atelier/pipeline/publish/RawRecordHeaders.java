package io.atelier.pipeline.publish;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.atelier.platform.events.CloudEventRecordHeaders;

/**
 * The headers of one request's records on {@code events.raw}: byte for byte what
 * {@link CloudEventRecordHeaders#of} writes (same names, order and {@code ce_time} format, which a test holds it to),
 * plus the request's transport trace headers. What every record of the request shares (spec version, type, source,
 * content type, sender, request id, trace context) is encoded once per request and the same {@link Header} objects
 * are reused; per event only {@code ce_id} (also {@code ce_subject}, the same bytes) and {@code ce_time} are made.
 * Encoding all of them per event, with {@code ce_time} through a {@code DateTimeFormatter}, was a fifth of the cost
 * of handing an event to the producer.
 */
final class RawRecordHeaders {

    private final Header[] leading;
    private final Header[] trailing;

    /**
     * @param extensions CloudEvents extensions, in order, as {@link CloudEventRecordHeaders#of} takes them
     * @param transport  headers after the CloudEvents ones (the W3C trace context of the record itself)
     */
    RawRecordHeaders(String type, URI source, String contentType, Map<String, String> extensions,
            Map<String, String> transport) {
        this.leading = new Header[] {header("ce_specversion", "1.0"), null, header("ce_type", type),
                header("ce_source", source.toString()), header("ce_datacontenttype", contentType),
                header("content-type", contentType)};
        List<Header> after = new ArrayList<>(extensions.size() + transport.size());
        extensions.forEach((name, value) -> after.add(header("ce_" + name, value)));
        transport.forEach((name, value) -> after.add(header(name, value)));
        this.trailing = after.toArray(Header[]::new);
    }

    /** The headers of one event: its id is {@code ce_id} and {@code ce_subject}, its time {@code ce_time}. */
    Headers of(String eventId, Instant time) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        Header[] all = new Header[leading.length + 2 + trailing.length];
        System.arraycopy(leading, 0, all, 0, leading.length);
        all[1] = new RecordHeader("ce_id", id);
        all[leading.length] = new RecordHeader("ce_subject", id);
        all[leading.length + 1] = new RecordHeader("ce_time", time(time).getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(trailing, 0, all, leading.length + 2, trailing.length);
        return new RecordHeaders(all);
    }

    /**
     * {@code time} in UTC as the connector's RFC 3339 format writes it: {@code yyyy-MM-ddTHH:mm:ss}, the fraction of
     * a second without trailing zeros (none when whole), then {@code Z}. Years outside 0001-9999 take the formatter.
     */
    static String time(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 1 || year > 9999) { // (the pattern's yyyy is the year of era: year 0 is 0001 BC)
            Header formatted = CloudEventRecordHeaders.of("-", "-", URI.create("-"), null, time.atZone(ZoneOffset.UTC), null,
                    Map.of()).lastHeader("ce_time");
            return new String(formatted.value(), StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder(30);
        pad(out, year, 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        int nano = t.getNano();
        if (nano != 0) {
            int digits = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                digits--;
            }
            out.append('.');
            pad(out, nano, digits);
        }
        return out.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        for (int p = 1, k = 1; k < width; k++) {
            p *= 10;
            if (value < p) {
                out.append('0');
            }
        }
        return out.append(value);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
