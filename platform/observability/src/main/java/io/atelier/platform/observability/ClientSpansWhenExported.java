package io.atelier.platform.observability;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Records a span per JDBC statement and per Redis command only when spans leave the process (an OTLP
 * endpoint is set). Without an exporter those spans are built (the SQL sanitised) and thrown away: on
 * job-worker the JDBC ones cost about a tenth of the CPU of a submit, on workspace-service's cached list
 * the Redis one was a third of the request's tracing cost (JFR). The trace context, HTTP and Kafka spans
 * and the trace ids in log lines do not depend on it. An explicit setting of either property (in a
 * service's application.properties or the environment) wins: this source's ordinal is below both.
 */
public class ClientSpansWhenExported implements ConfigSourceFactory {

    static final String JDBC = "quarkus.datasource.jdbc.telemetry.enabled";
    static final String REDIS = "quarkus.otel.instrument.vertx-redis-client";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.traces.endpoint",
            "quarkus.otel.exporter.otlp.endpoint");
    /** Above the platform's META-INF/microprofile-config.properties (100), below application.properties (250). */
    static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String exported = String.valueOf(ENDPOINTS.stream().map(context::getValue).anyMatch(ClientSpansWhenExported::isSet));
        return List.of(new MapBackedConfigSource("atelier: JDBC and Redis spans when exported",
                Map.of(JDBC, exported, REDIS, exported), ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
