package io.atelier.platform.users;

import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;
import io.atelier.platform.testing.CloudEventWriter;

/**
 * Writes to the real {@code auth.user-events} as auth-service's relay does: binary-mode CloudEvents keyed
 * by the user id, the payload the event record serialised by the app's own mapper. Each send waits for
 * the broker, so records of one key land in the order they were sent.
 */
final class AuthTopic implements AutoCloseable {

    private final ObjectMapper json;
    private final CloudEventWriter writer = CloudEventWriter.local();

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
        writer.send(record);
    }

    /** A binary-mode CloudEvent with every attribute the relay writes. */
    static ProducerRecord<String, String> cloudEvent(String ceId, String type, String key, String payload) {
        return CloudEventWriter.record(Topics.AUTH_USER_EVENTS, ceId, type, "auth-service", key, payload);
    }

    static ProducerRecord<String, String> plainRecord(String key, String value) {
        return new ProducerRecord<>(Topics.AUTH_USER_EVENTS, key, value);
    }

    static void header(Headers headers, String name, String value) {
        CloudEventWriter.header(headers, name, value);
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
        writer.close();
    }
}
