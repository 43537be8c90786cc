package io.atelier.platform.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether the broker answers, within a bound, for the topics a producer writes: what a readiness check of a service
 * that sends with its own {@link EventProducer} asks (the SmallRye channels it replaced had their own check). The
 * producer's cached metadata would say yes while the broker is away, so this asks the broker each time; and unlike
 * Quarkus' own Kafka check it never waits longer than {@code timeout}. A service's check is a {@code @Readiness}
 * bean that extends this and names what it checks in its constructor.
 */
public abstract class KafkaReadiness implements HealthCheck {

    private final String name;
    private final List<String> topics;
    private final Duration timeout;
    private final Admin admin;

    /**
     * @param broker the application's Kafka settings ({@code default-kafka-broker}); those an admin client does not
     *               know are left out
     * @param topics the topics that must be described; none: the cluster must answer
     */
    protected KafkaReadiness(String name, Map<String, ?> broker, String clientId, List<String> topics, Duration timeout) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
        Map<String, Object> settings = new HashMap<>();
        broker.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                settings.put(key, value);
            }
        });
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.admin = Admin.create(settings);
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(name);
        try {
            if (topics.isEmpty()) {
                admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return response.up().build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }

    @PreDestroy
    protected void close() {
        admin.close(timeout);
    }
}
