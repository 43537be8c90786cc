package io.atelier.pipeline.enrich;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the topology runs. quarkus-kafka-streams' own state check is a liveness check that also passes
 * while rebalancing; an instance that is starting, restoring its store, rebalancing or has failed is not ready here.
 */
@Readiness
@ApplicationScoped
class StreamsReadiness implements HealthCheck {

    private final KafkaStreams streams;

    StreamsReadiness(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        return HealthCheckResponse.named("Kafka Streams topology").status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name()).build();
    }
}
