package io.atelier.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;


/** Plain JUnit: prepared headers are byte for byte what CloudEventRecordHeaders writes. */
class CloudEventHeaderTemplateTest {

    private static final String TYPE = "atelier.event.received";

    private static final URI SOURCE = URI.create("pipeline-ingest");

    /** name=value of each header, in order. */
    private static List<String> texts(Headers headers) {
        return java.util.Arrays.stream(headers.toArray()).map(CloudEventHeaderTemplateTest::text).toList();
    }

    private static String text(Header header) {
        return header.key() + "=" + new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Headers expected(String id, Instant time, Map<String, String> extensions, Map<String, String> transport) {
        Headers headers = CloudEventRecordHeaders.of(id, TYPE, SOURCE, id, time.atZone(ZoneOffset.UTC),
                "application/json", extensions);
        transport.forEach((name, value) -> CloudEventRecordHeaders.add(headers, name, value));
        return headers;
    }

    @Test
    void writesTheSameHeadersAsCloudEventRecordHeadersInTheSameOrder() {
        Map<String, String> extensions = new LinkedHashMap<>();
        extensions.put("sender", "source:web");
        extensions.put("requestid", "req-1");
        extensions.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        Map<String, String> transport = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01");
        CloudEventHeaderTemplate headers = new CloudEventHeaderTemplate(TYPE, SOURCE, "application/json", extensions,
                transport);
        String id = UUID.randomUUID().toString();
        Instant time = Instant.parse("2024-01-01T00:00:00.120Z");

        assertThat(texts(headers.of(id, time))).isEqualTo(texts(expected(id, time, extensions, transport)))
                .contains("ce_time=2024-01-01T00:00:00.12Z", "ce_id=" + id, "ce_subject=" + id);
    }

    @Test
    void withoutRequestContextOnlyTheSenderFollows() {
        Map<String, String> extensions = Map.of("sender", "user:" + UUID.randomUUID());
        CloudEventHeaderTemplate headers = new CloudEventHeaderTemplate(TYPE, SOURCE, "application/json", extensions,
                Map.of());
        Instant time = Instant.parse("2026-06-01T12:00:00Z");

        assertThat(texts(headers.of("e1", time))).isEqualTo(texts(expected("e1", time, extensions, Map.of())))
                .contains("ce_time=2026-06-01T12:00:00Z");
    }

    @Test
    void eachRecordHasItsOwnHeadersAndSharesNothingItCouldChange() {
        CloudEventHeaderTemplate headers = new CloudEventHeaderTemplate(TYPE, SOURCE, "application/json",
                Map.of("sender", "source:web"), Map.of());
        Headers first = headers.of("a", Instant.EPOCH);
        first.add("extra", new byte[] {1});
        Headers second = headers.of("b", Instant.EPOCH);

        assertThat(second.lastHeader("extra")).isNull();
        assertThat(text(second.lastHeader("ce_id"))).isEqualTo("ce_id=b");
    }

    @Test
    void ceTimeMatchesTheConnectorsFormatForAnyInstant() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nano = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant time = Instant.ofEpochSecond(second, nano);
            Header reference = expected("x", time, Map.of(), Map.of()).lastHeader("ce_time");
            assertThat(CloudEventHeaderTemplate.time(time)).as(time.toString())
                    .isEqualTo(new String(reference.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
