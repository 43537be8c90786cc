package io.atelier.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Plain JUnit: the filter alone, on a registry of its own. */
class HttpServerMeterTagsTest {

    @Test
    void httpServerMetersAlwaysCarryAPortTag() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new HttpServerMeterTags().everyHttpServerMeterHasItsPort());

        registry.counter("http.server.bytes.read", "server.port", "8081").increment();
        registry.counter("http.server.bytes.read").increment(); // the management server's, untagged

        assertThat(registry.find("http.server.bytes.read").counters())
                .extracting(c -> c.getId().getTag("server.port")).containsExactlyInAnyOrder("8081", "unknown");
        assertThat(registry.counter("atelier.auth.signups").getId().getTag("server.port")).isNull();
    }
}
