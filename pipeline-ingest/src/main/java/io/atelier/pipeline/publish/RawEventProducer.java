package io.atelier.pipeline.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.atelier.pipeline.config.PipelineConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.Startup;

/**
 * The one producer of {@code events.raw} for this instance: idempotent, {@code acks=all}, bounded buffer and
 * blocking time ({@code atelier.pipeline.kafka.producer.*}). A plain KafkaProducer rather than a SmallRye emitter:
 * an emitter message per event (Mutiny pipeline, context propagation, metadata objects) cost ~47 % of the request
 * threads' CPU in the bench profile, while {@link KafkaProducer#send} is thread-safe and batches by itself.
 * Its client metrics are on {@code /q/metrics} as {@code kafka_producer_*}.
 */
@ApplicationScoped
@Startup // built at start, as the channel was: the first request does not pay for it
public class RawEventProducer {

    private final KafkaProducer<String, String> producer;
    private final KafkaClientMetrics clientMetrics;

    RawEventProducer(PipelineConfig config, MeterRegistry metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.producer = new KafkaProducer<>(settings(config.kafka().producer(), bootstrapServers,
                applicationName + "-events-raw"), new StringSerializer(), new StringSerializer());
        this.clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(metrics);
    }

    /** The producer's settings: only what differs from Kafka's defaults, or what the intake's guarantees rest on. */
    static Map<String, Object> settings(PipelineConfig.Producer producer, String bootstrapServers, String clientId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // The intake's promise: a 202/200 only for what every in-sync replica has, never written twice by a retry.
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
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
        clientMetrics.close();
        // What is in flight gets a moment to be acknowledged; the requests waiting for it are ending too.
        producer.close(Duration.ofSeconds(5));
    }
}
