package io.atelier.platform.observability;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * With the management interface on (every service keeps health, metrics and OpenAPI off the API
 * port), Quarkus registers the HTTP server meters twice: the main server's with a {@code server.port}
 * tag, the management server's without. Prometheus refuses one name with two sets of tag keys, and
 * since Quarkus 3.34 that refusal fails the server's start. Every {@code http.server.*} meter gets the
 * tag, {@value #UNKNOWN} where Quarkus gave none.
 */
public class HttpServerMeterTags {

    static final String PORT = "server.port";
    static final String UNKNOWN = "unknown";

    @Produces
    @Singleton
    MeterFilter everyHttpServerMeterHasItsPort() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().startsWith("http.server.") && id.getTag(PORT) == null) {
                    return id.withTag(Tag.of(PORT, UNKNOWN));
                }
                return id;
            }
        };
    }
}
