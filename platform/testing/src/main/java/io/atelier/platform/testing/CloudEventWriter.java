package io.atelier.platform.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records to a real topic as a service's outbox relay does: binary-mode CloudEvents (every
 * {@code ce_*} attribute the relay writes), keyed by the aggregate id. Each send waits for the broker,
 * so the records of one key land in the order they were sent. For tests that stand in for another
 * service's events, e.g. auth-service's user events.
 */
public final class CloudEventWriter implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public CloudEventWriter(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** On the local suite's broker. */
    public static CloudEventWriter local() {
        return new CloudEventWriter(LocalSuite.find().kafkaBootstrap());
    }

    /** Publishes under a new {@code ce_id}; returns it. */
    public String publish(String topic, String type, String source, String key, String payload) {
        String id = UUID.randomUUID().toString();
        send(record(topic, id, type, source, key, payload));
        return id;
    }

    public void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + record.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A binary-mode CloudEvent with every attribute a relay writes; change headers with {@link #header}. */
    public static ProducerRecord<String, String> record(String topic, String ceId, String type, String source,
            String key, String payload) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", ceId);
        header(headers, "ce_type", type);
        header(headers, "ce_source", source);
        header(headers, "ce_subject", key);
        header(headers, "ce_time", Instant.now().toString());
        header(headers, "content-type", "application/json");
        return new ProducerRecord<>(topic, null, key, payload, headers);
    }

    /** Sets (replaces) one header. */
    public static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
