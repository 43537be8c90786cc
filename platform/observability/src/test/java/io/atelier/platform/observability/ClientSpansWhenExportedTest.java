package io.atelier.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** JDBC and Redis spans follow export; an explicit setting wins. SmallRye Config only, no Quarkus. */
class ClientSpansWhenExportedTest {

    /** The platform's own default, as in META-INF/microprofile-config.properties. */
    private static final String PLATFORM_ENDPOINT = "${OTEL_EXPORTER_OTLP_ENDPOINT:\u0020}";

    private static boolean jdbcSpans(Map<String, String> application, Map<String, String> environment) {
        return spans(ClientSpansWhenExported.JDBC, application, environment);
    }

    private static boolean spans(String property, Map<String, String> application, Map<String, String> environment) {
        Map<String, String> platform = Map.of("quarkus.otel.exporter.otlp.endpoint", PLATFORM_ENDPOINT);
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(platform, "platform", 100))
                .withSources(new PropertiesConfigSource(application, "application", 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withSources(new ClientSpansWhenExported())
                .build();
        return config.getValue(property, Boolean.class);
    }

    @Test
    void offWhenNothingIsExported() {
        assertThat(jdbcSpans(Map.of(), Map.of())).isFalse();
    }

    @Test
    void onWhenTheStandardVariableSetsAnEndpoint() {
        assertThat(jdbcSpans(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"))).isTrue();
    }

    @Test
    void onWhenTheQuarkusNameOrTheTracesOnlyEndpointIsSet() {
        assertThat(jdbcSpans(Map.of(), Map.of("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317"))).isTrue();
        assertThat(jdbcSpans(Map.of(), Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://localhost:4318/v1/traces")))
                .isTrue();
    }

    @Test
    void aBlankEndpointIsNoExport() {
        assertThat(jdbcSpans(Map.of(), Map.of("quarkus.otel.exporter.otlp.endpoint", " "))).isFalse();
    }

    @Test
    void anExplicitSettingWinsEitherWay() {
        assertThat(jdbcSpans(Map.of(ClientSpansWhenExported.JDBC, "true"), Map.of())).isTrue();
        Map<String, String> exported = new HashMap<>(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"));
        exported.put(ClientSpansWhenExported.JDBC, "false");
        assertThat(jdbcSpans(Map.of(), exported)).isFalse();
    }

    @Test
    void redisSpansFollowExportTooAndAnExplicitSettingWins() {
        assertThat(spans(ClientSpansWhenExported.REDIS, Map.of(), Map.of())).isFalse();
        assertThat(spans(ClientSpansWhenExported.REDIS, Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317")))
                .isTrue();
        assertThat(spans(ClientSpansWhenExported.REDIS, Map.of(ClientSpansWhenExported.REDIS, "true"), Map.of())).isTrue();
    }
}
