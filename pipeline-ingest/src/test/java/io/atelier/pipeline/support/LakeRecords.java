package io.atelier.pipeline.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.Topics;
import io.atelier.platform.testing.CloudEventWriter;

/** Records as the lake consumes them: events.enriched as the Streams topology writes them, and domain events. */
public final class LakeRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LakeRecords() {
    }

    /** An enriched product event (the contract in docs/pipeline.md) with its CloudEvents headers. */
    public static ProducerRecord<String, String> enriched(String eventId, String type, Instant at, String userId,
            Map<String, Object> data, String displayName) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", eventId);
        event.put("event_type", type);
        event.put("timestamp", at.toString());
        event.put("user_id", userId);
        event.put("data", data);
        event.put("metadata", Map.of("source", "web", "version", "1.0"));
        Map<String, Object> enrichment = new LinkedHashMap<>();
        enrichment.put("received_at", at.plusMillis(250).toString());
        enrichment.put("source", "web");
        enrichment.put("sender", userId == null ? "source:web" : "user:" + userId);
        enrichment.put("user", displayName == null ? null
                : Map.of("display_name", displayName, "signed_up_at", "2020-01-01T00:00:00Z"));
        event.put("enrichment", enrichment);
        RecordHeaders headers = new RecordHeaders();
        CloudEventWriter.header(headers, "ce_specversion", "1.0");
        CloudEventWriter.header(headers, "ce_id", eventId);
        CloudEventWriter.header(headers, "ce_type", "pipeline.event.enriched");
        CloudEventWriter.header(headers, "ce_source", "pipeline-ingest");
        CloudEventWriter.header(headers, "ce_subject", eventId);
        CloudEventWriter.header(headers, "ce_time", at.toString());
        CloudEventWriter.header(headers, "content-type", "application/json");
        return new ProducerRecord<>(Topics.EVENTS_ENRICHED, null, userId == null ? eventId : userId, json(event), headers);
    }

    public static ProducerRecord<String, String> enriched(String type, Instant at, String userId, Map<String, Object> data) {
        return enriched(UUID.randomUUID().toString(), type, at, userId, data, userId == null ? null : "User " + userId);
    }

    /** A domain event as a service's outbox relay writes it, with {@code ce_time} set to {@code at}. */
    public static ProducerRecord<String, String> domain(String topic, String ceId, String type, String source, String subject,
            Instant at, Map<String, Object> payload) {
        ProducerRecord<String, String> record = CloudEventWriter.record(topic, ceId, type, source, subject, json(payload));
        record.headers().remove("ce_time");
        record.headers().add("ce_time", at.toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
