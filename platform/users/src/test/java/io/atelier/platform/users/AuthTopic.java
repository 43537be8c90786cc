package io.atelier.platform.users;

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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;
import io.atelier.platform.testing.LocalSuite;

/**
 * Writes to the real {@code auth.user-events} as auth-service's relay does: binary-mode CloudEvents keyed
 * by the user id, the payload the event record serialised by the app's own mapper. Each send waits for
 * the broker, so records of one key land in the order they were sent.
 */
final class AuthTopic implements AutoCloseable {

    private final ObjectMapper json;
    private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalSuite.find().kafkaBootstrap(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());

    AuthTopic(ObjectMapper json) {
        this.json = json;
    }

    /** Publishes the event under a new {@code ce_id}; returns that id. */
    String publish(DomainEvent event) {
        String id = UUID.randomUUID().toString();
        publish(id, event);
        return id;
    }

    /** Publishes the event under the given {@code ce_id} (a redelivery when the id was used before). */
    void publish(String ceId, DomainEvent event) {
        send(cloudEvent(ceId, event.eventType(), event.subject(), payload(event)));
    }

    void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + record.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A binary-mode CloudEvent with every attribute the relay writes. */
    static ProducerRecord<String, String> cloudEvent(String ceId, String type, String key, String payload) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", ceId);
        header(headers, "ce_type", type);
        header(headers, "ce_source", "auth-service");
        header(headers, "ce_subject", key);
        header(headers, "ce_time", Instant.now().toString());
        header(headers, "content-type", "application/json");
        return new ProducerRecord<>(Topics.AUTH_USER_EVENTS, null, key, payload, headers);
    }

    static ProducerRecord<String, String> plainRecord(String key, String value) {
        return new ProducerRecord<>(Topics.AUTH_USER_EVENTS, key, value);
    }

    static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    String payload(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
