package io.atelier.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.atelier.platform.events.ReceivedEvent.NotACloudEventException;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

class CloudEventHeadersTest {

    @Test
    void readsTheAttributesAndExtensionsOfABinaryModeEvent() {
        RecordHeaders headers = valid();
        add(headers, "ce_requestid", "req-1");
        add(headers, "ce_traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        add(headers, "traceparent", "not an extension");

        IncomingCloudEventMetadata<String> event = CloudEventHeaders.read(headers, "{}");

        assertThat(event.getSpecVersion()).isEqualTo("1.0");
        assertThat(event.getId()).isEqualTo("event-1");
        assertThat(event.getType()).isEqualTo("auth.user.created");
        assertThat(event.getSource()).isEqualTo(URI.create("auth-service"));
        assertThat(event.getSubject()).contains("user-1");
        assertThat(event.getTimeStamp()).contains(ZonedDateTime.of(2026, 11, 30, 10, 15, 30, 123_000_000, ZoneOffset.UTC));
        assertThat(event.getDataContentType()).contains("application/json");
        assertThat(event.getExtensions()).containsOnlyKeys("requestid", "traceparent");
        assertThat(event.<String>getExtension("requestid")).contains("req-1");
        assertThat(event.getData()).isEqualTo("{}");
    }

    @Test
    void timeAndSubjectAreOptional() {
        RecordHeaders headers = valid();
        headers.remove("ce_time");
        headers.remove("ce_subject");

        IncomingCloudEventMetadata<String> event = CloudEventHeaders.read(headers, null);

        assertThat(event.getTimeStamp()).isEmpty();
        assertThat(event.getSubject()).isEmpty();
    }

    @Test
    void refusesARecordWithoutCloudEventsHeaders() {
        assertThatThrownBy(() -> CloudEventHeaders.read(new RecordHeaders(), "{}"))
                .isInstanceOf(NotACloudEventException.class).hasMessage("no ce_specversion header");
    }

    @Test
    void refusesEachMissingOrBlankRequiredAttribute() {
        for (String name : new String[] { "ce_id", "ce_source", "ce_type", "ce_specversion" }) {
            RecordHeaders missing = valid();
            missing.remove(name);
            assertThatThrownBy(() -> CloudEventHeaders.read(missing, "{}")).hasMessage("no " + name + " header");
            RecordHeaders blank = valid();
            blank.remove(name);
            add(blank, name, " ");
            assertThatThrownBy(() -> CloudEventHeaders.read(blank, "{}")).hasMessage("no " + name + " header");
        }
    }

    @Test
    void refusesWhatTheConnectorsOwnReaderWouldThrowOn() {
        assertThatThrownBy(() -> CloudEventHeaders.read(with("ce_time", "yesterday"), "{}"))
                .isInstanceOf(NotACloudEventException.class).hasMessage("ce_time is not an RFC 3339 time");
        assertThatThrownBy(() -> CloudEventHeaders.read(with("ce_source", "not a uri"), "{}"))
                .isInstanceOf(NotACloudEventException.class).hasMessage("ce_source is not a URI reference");
        assertThatThrownBy(() -> CloudEventHeaders.read(with("content-type", "application/cloudevents+json"), "{}"))
                .isInstanceOf(NotACloudEventException.class).hasMessageStartingWith("structured mode");
    }

    @Test
    void refusesAnotherSpecVersion() {
        assertThatThrownBy(() -> CloudEventHeaders.read(with("ce_specversion", "0.3"), "{}"))
                .isInstanceOf(NotACloudEventException.class).hasMessage("unsupported ce_specversion");
    }

    @Test
    void readsATimeWithAnOffset() {
        assertThat(CloudEventHeaders.read(with("ce_time", "2026-11-30T11:15:30+01:00"), "{}").getTimeStamp()
                .orElseThrow().toInstant()).isEqualTo("2026-11-30T10:15:30Z");
    }

    private static RecordHeaders with(String name, String value) {
        RecordHeaders headers = valid();
        headers.remove(name);
        add(headers, name, value);
        return headers;
    }

    private static RecordHeaders valid() {
        RecordHeaders headers = new RecordHeaders();
        add(headers, "ce_specversion", "1.0");
        add(headers, "ce_id", "event-1");
        add(headers, "ce_type", "auth.user.created");
        add(headers, "ce_source", "auth-service");
        add(headers, "ce_subject", "user-1");
        add(headers, "ce_time", "2026-11-30T10:15:30.123Z");
        add(headers, "content-type", "application/json");
        return headers;
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
