package io.atelier.pipeline.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.atelier.pipeline.config.PipelineConfig;
import io.atelier.platform.events.EventProducer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;

/**
 * The one producer of {@code events.raw} for this instance ({@link EventProducer}: {@code acks=all}, idempotent),
 * with the intake's bounded buffer and blocking time ({@code atelier.pipeline.kafka.producer.*}).
 */
@ApplicationScoped
@Startup // built at start, as the channel was: the first request does not pay for it
public class RawEventProducer {

    private final EventProducer producer;

    RawEventProducer(PipelineConfig config, MeterRegistry metrics,
            @Identifier("default-kafka-broker") Map<String, Object> broker,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.producer = new EventProducer(broker, applicationName + "-events-raw", tuning(config.kafka().producer()),
                metrics);
    }

    /** Only what differs from Kafka's defaults; acks and idempotence are EventProducer's. */
    static Map<String, Object> tuning(PipelineConfig.Producer producer) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.LINGER_MS_CONFIG, (int) producer.linger().toMillis());
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, producer.batchSize());
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, producer.bufferMemory());
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, producer.maxBlock().toMillis());
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) producer.requestTimeout().toMillis());
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) producer.deliveryTimeout().toMillis());
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, producer.compression());
        return settings;
    }

    /**
     * Hands one record to the producer. May block up to {@code max-block} (metadata unknown, buffer full), then
     * throws; otherwise returns at once, and the future completes with the broker's answer.
     */
    public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
        return producer.send(record, callback);
    }

    @PreDestroy
    void close() {
        // What is in flight gets a moment to be acknowledged; the requests waiting for it are ending too.
        producer.close(Duration.ofSeconds(5));
    }
}
