package io.atelier.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;

import io.atelier.platform.events.KafkaReadiness;
import io.smallrye.common.annotation.Identifier;

/**
 * Ready while the broker the relay publishes to answers within 2 s. Nothing is lost while it does not (events wait
 * in the outbox), but a service whose events cannot leave is not healthy, and for auth-service this is the only
 * check of Kafka (its relay is its only Kafka client).
 */
@Readiness
@Singleton // no client proxy: KafkaReadiness has no no-args constructor to proxy through
class OutboxBrokerReadiness extends KafkaReadiness {

    OutboxBrokerReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        super("Kafka (outbox relay)", kafka, applicationName + "-outbox-health", List.of(), Duration.ofSeconds(2));
    }
}
