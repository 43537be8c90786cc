package io.atelier.pipeline.enrich;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.platform.events.HoldingStore;
import io.quarkus.logging.Log;

/**
 * Drops an event whose id this partition saw within the window, enriches the others. One instance per stream task
 * (per partition of events.raw): the store it reads is that partition's, which holds every id that can reach it, since
 * the same event always comes with the same key (its user id, else its own id) and so to the same partition.
 */
final class EnrichProcessor implements Processor<String, String, String, String> {

    private final String storeName;
    private final long windowMs;
    private final EventEnricher enricher;
    private final ObjectMapper json;
    private final EnrichMetrics metrics;
    private ProcessorContext<String, String> context;
    private WindowStore<String, Long> seen;

    EnrichProcessor(String storeName, Duration window, EventEnricher enricher, ObjectMapper json,
            EnrichMetrics metrics) {
        this.storeName = storeName;
        this.windowMs = window.toMillis();
        this.enricher = enricher;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, String> record) {
        ObjectNode event = event(record.value());
        if (event == null || !event.path("event_id").isTextual()) {
            // Only the intake writes events.raw, so this is a bug or a stray producer: dropped, counted, never retried.
            metrics.unusable.increment();
            Log.warnf("events.raw: skipped a record that is not an event (key %s)", HoldingStore.loggable(record.key()));
            return;
        }
        String eventId = event.get("event_id").asText();
        // The record's timestamp is when the intake wrote it, so a retry a day later is within the window by the
        // clock of writing, not by the event's own (client-chosen) timestamp.
        long at = record.timestamp();
        try (WindowStoreIterator<Long> earlier = seen.fetch(eventId, Math.max(0, at - windowMs), at + windowMs)) {
            if (earlier.hasNext()) {
                metrics.duplicate.increment();
                return;
            }
        }
        seen.put(eventId, at, at);
        EventEnricher.Enriched enriched = enricher.enrich(event, record.headers(), Instant.ofEpochMilli(at));
        context.forward(record.withValue(enriched.event().toString()).withHeaders(enriched.headers()));
        metrics.enriched.increment();
    }

    private ObjectNode event(String value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(value);
            return node instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }
}
