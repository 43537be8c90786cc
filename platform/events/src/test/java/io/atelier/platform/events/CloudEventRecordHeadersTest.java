package io.atelier.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/** The headers are SmallRye's binary-mode ones, and platform/events reads them back as the same CloudEvent. */
class CloudEventRecordHeadersTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void writesTheConnectorsBinaryModeHeaders() {
        ZonedDateTime time = ZonedDateTime.of(2026, 12, 7, 1, 2, 3, 450_000_000, ZoneOffset.UTC);
        Map<String, String> extensions = new LinkedHashMap<>();
        extensions.put("sender", "source:web");
        extensions.putAll(new EventContext("req-1", TRACEPARENT, "k=v").extensions());
        Headers headers = CloudEventRecordHeaders.of("id-1", "pipeline.event.received", URI.create("pipeline-ingest"),
                "id-1", time, "application/json", extensions);

        Map<String, String> byName = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Header header : headers) {
            names.add(header.key());
            byName.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        assertThat(names).doesNotHaveDuplicates();
        assertThat(byName).containsExactly(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", "id-1"),
                Map.entry("ce_type", "pipeline.event.received"),
                Map.entry("ce_source", "pipeline-ingest"),
                Map.entry("ce_datacontenttype", "application/json"),
                Map.entry("content-type", "application/json"),
                Map.entry("ce_subject", "id-1"),
                Map.entry("ce_time", "2026-12-07T01:02:03.45Z"),
                Map.entry("ce_sender", "source:web"),
                Map.entry("ce_requestid", "req-1"),
                Map.entry("ce_traceparent", TRACEPARENT),
                Map.entry("ce_tracestate", "k=v"));

        var read = CloudEventHeaders.read(headers, "{}");
        assertThat(read.getId()).isEqualTo("id-1");
        assertThat(read.getType()).isEqualTo("pipeline.event.received");
        assertThat(read.getSource()).isEqualTo(URI.create("pipeline-ingest"));
        assertThat(read.getSubject()).contains("id-1");
        assertThat(read.getTimeStamp()).contains(time);
        assertThat(read.getExtension("sender")).contains("source:web");
        assertThat(read.getExtension("traceparent")).contains(TRACEPARENT);
    }

    @Test
    void leavesOutWhatIsAbsent() {
        Headers headers = CloudEventRecordHeaders.of("id-2", "t", URI.create("s"), null, null, null, Map.of());
        List<String> names = new ArrayList<>();
        headers.forEach(h -> names.add(h.key()));
        assertThat(names).containsExactly("ce_specversion", "ce_id", "ce_type", "ce_source");
    }

    @Test
    void timeKeepsTheConnectorsFormat() {
        assertThat(CloudEventRecordHeaders.TIME.format(ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)))
                .isEqualTo("2024-01-01T00:00:00Z");
        assertThat(CloudEventRecordHeaders.TIME.format(ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_789, ZoneOffset.ofHours(2))))
                .isEqualTo("2024-01-01T00:00:00.123456789+02:00");
    }
}
