package io.atelier.platform.events;

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


/**
 * {@link CloudEventRecordHeaders} for many records that differ only in id, subject and time (e.g. the events of one
 * intake request): byte for byte what {@link CloudEventRecordHeaders#of} writes (same names, order and {@code ce_time}
 * format, which a test holds it to), plus transport headers after them. What the records share (spec version, type,
 * source, content type, extensions, trace context) is encoded once and the same {@link Header} objects are reused; per
 * record only {@code ce_id}, {@code ce_subject} and {@code ce_time} are made. Encoding all of them per event, with
 * {@code ce_time} through a {@code DateTimeFormatter}, was a fifth of the intake's cost of handing an event to the
 * producer.
 */
public final class CloudEventHeaderTemplate {

    private final Header[] leading;
    private final Header[] trailing;

    /**
     * @param extensions CloudEvents extensions, in order, as {@link CloudEventRecordHeaders#of} takes them
     * @param transport  headers after the CloudEvents ones (the W3C trace context of the record itself)
     */
    public CloudEventHeaderTemplate(String type, URI source, String contentType, Map<String, String> extensions,
            Map<String, String> transport) {
        this.leading = new Header[] {header("ce_specversion", "1.0"), null, header("ce_type", type),
                header("ce_source", source.toString()), header("ce_datacontenttype", contentType),
                header("content-type", contentType)};
        List<Header> after = new ArrayList<>(extensions.size() + transport.size());
        extensions.forEach((name, value) -> after.add(header("ce_" + name, value)));
        transport.forEach((name, value) -> after.add(header(name, value)));
        this.trailing = after.toArray(Header[]::new);
    }

    /** The headers of one record whose {@code ce_subject} is its {@code ce_id} (the bytes are shared). */
    public Headers of(String eventId, Instant time) {
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
