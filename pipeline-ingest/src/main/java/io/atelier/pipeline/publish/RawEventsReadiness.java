package io.atelier.pipeline.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.atelier.platform.events.Topics;

/**
 * Ready while the broker answers for {@code events.raw} within 2 s: the check the SmallRye channel did
 * ({@code health-topic-verification-enabled}) before the intake sent through its own producer. The producer's
 * cached metadata would say yes while the broker is away, so the check asks the broker each time.
 */
@Readiness
@ApplicationScoped
class RawEventsReadiness implements HealthCheck {

    private final Admin admin;

    RawEventsReadiness(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, applicationName + "-events-raw-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000));
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Kafka " + Topics.EVENTS_RAW);
        try {
            admin.describeTopics(List.of(Topics.EVENTS_RAW)).allTopicNames().get(2, TimeUnit.SECONDS);
            return response.up().build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
