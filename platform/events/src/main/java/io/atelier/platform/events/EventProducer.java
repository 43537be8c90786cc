package io.atelier.platform.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * A Kafka producer of the suite's events with the contract's guarantees: a send succeeds only once every in-sync
 * replica has the record ({@code acks=all}), and a retry never writes it twice (idempotent); String keys and values;
 * its client metrics on {@code /q/metrics} as {@code kafka_producer_*}.
 *
 * <p>Where events go out in volume (the intake, the outbox relay) this replaces a SmallRye emitter: one emitter
 * message per event (Mutiny pipeline, context propagation, metadata objects, the connector's tracing) cost about half
 * of the sending threads' CPU in their profiles, while {@link KafkaProducer#send} is thread-safe and batches by
 * itself. Records carry {@link CloudEventRecordHeaders}, so consumers cannot tell the difference.
 */
public final class EventProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final KafkaClientMetrics clientMetrics;

    /**
     * @param broker   the application's Kafka settings (Quarkus' {@code default-kafka-broker}: {@code kafka.*}, such as
     *                 bootstrap servers and security); those a producer does not know are left out
     * @param clientId names this producer in the broker's logs and in the metrics
     * @param tuning   this use's producer settings (linger, batch size, timeouts...); they cannot weaken acks or
     *                 idempotence
     */
    public EventProducer(Map<String, ?> broker, String clientId, Map<String, ?> tuning, MeterRegistry metrics) {
        this.producer = new KafkaProducer<>(settings(broker, clientId, tuning), new StringSerializer(),
                new StringSerializer());
        this.clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(metrics);
    }

    static Map<String, Object> settings(Map<String, ?> broker, String clientId, Map<String, ?> tuning) {
        Map<String, Object> settings = new HashMap<>();
        broker.forEach((name, value) -> {
            if (ProducerConfig.configNames().contains(name)) {
                settings.put(name, value);
            }
        });
        settings.putAll(tuning);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        settings.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return settings;
    }

    /**
     * Hands one record to the producer. May block up to {@code max.block.ms} (metadata unknown, buffer full), then
     * throws; otherwise returns at once, and the callback runs, on the producer's I/O thread, with the broker's answer.
     */
    public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
        return producer.send(record, callback);
    }

    /** Waits at most {@code timeout} for what is in flight to be acknowledged, then closes. */
    public void close(Duration timeout) {
        clientMetrics.close();
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
