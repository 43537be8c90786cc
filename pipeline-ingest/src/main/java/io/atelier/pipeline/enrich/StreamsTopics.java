package io.atelier.pipeline.enrich;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.atelier.platform.events.Topics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Makes sure the topology's topics exist. quarkus-kafka-streams starts the topology only once its source topic exists
 * ({@code quarkus.kafka-streams.topics}), and on a fresh broker events.raw appears only with the first event, so a new
 * suite would stay not ready until somebody sent one. Broker defaults for partitions and replication.
 */
@ApplicationScoped
class StreamsTopics {

    private final String bootstrap;

    StreamsTopics(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    void create(@Observes StartupEvent event) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000))) {
            var topics = List.of(Topics.EVENTS_RAW, Topics.EVENTS_ENRICHED).stream()
                    .map(name -> new NewTopic(name, Optional.empty(), Optional.empty())).toList();
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(5, TimeUnit.SECONDS);
                    Log.infof("created topic %s", result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            // The broker may be away at start: the topology then waits for the topics (readiness says so).
            Log.warnf("could not make sure topics %s and %s exist: %s", Topics.EVENTS_RAW, Topics.EVENTS_ENRICHED, e.toString());
        }
    }
}
