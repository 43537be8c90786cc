package io.atelier.pipeline.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.atelier.platform.events.KafkaReadiness;
import io.atelier.platform.events.Topics;
import io.smallrye.common.annotation.Identifier;

/** Ready while the broker answers for {@code events.raw} within 2 s. */
@Readiness
@ApplicationScoped
class RawEventsReadiness implements HealthCheck {

    private final KafkaReadiness broker;

    RawEventsReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.broker = new KafkaReadiness("Kafka " + Topics.EVENTS_RAW, kafka, applicationName + "-events-raw-health",
                List.of(Topics.EVENTS_RAW), Duration.ofSeconds(2));
    }

    @Override
    public HealthCheckResponse call() {
        return broker.check();
    }

    @PreDestroy
    void close() {
        broker.close();
    }
}
