package io.atelier.pipeline.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;

import io.atelier.platform.events.KafkaReadiness;
import io.atelier.platform.events.Topics;
import io.smallrye.common.annotation.Identifier;

/** Ready while the broker answers for {@code events.raw} within 2 s. */
@Readiness
@Singleton // no client proxy: KafkaReadiness has no no-args constructor to proxy through
class RawEventsReadiness extends KafkaReadiness {

    RawEventsReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        super("Kafka " + Topics.EVENTS_RAW, kafka, applicationName + "-events-raw-health", List.of(Topics.EVENTS_RAW),
                Duration.ofSeconds(2));
    }
}
