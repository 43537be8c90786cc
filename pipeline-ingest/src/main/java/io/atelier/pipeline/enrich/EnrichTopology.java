package io.atelier.pipeline.enrich;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Streams stage: events.raw -> dedup by event id (a window store with a changelog) -> enrich -> events.enriched,
 * run by quarkus-kafka-streams with exactly_once_v2 (docs/pipeline.md, "The topology").
 */
@ApplicationScoped
public class EnrichTopology {

    /** The window store of event ids seen, per partition; its changelog is {@code <application id>-event-ids-changelog}. */
    public static final String SEEN_STORE = "event-ids";

    // @Singleton, not @ApplicationScoped: Kafka Streams reads the Topology's fields, which a client proxy would hide.
    @Produces
    @Singleton
    Topology topology(EnrichConfig config, RedisUserProfiles profiles, ObjectMapper json, MeterRegistry metrics) {
        return build(Topics.EVENTS_RAW, Topics.EVENTS_ENRICHED, config.dedupWindow(), new EventEnricher(profiles),
                json, new EnrichMetrics(metrics));
    }

    /** The topology between any two topics (the tests run it on topics of their own). */
    public static Topology build(String input, String output, Duration window, EventEnricher enricher,
            ObjectMapper json, EnrichMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        // Retention and window size both the dedup window: ids older than that (by stream time) are dropped with their
        // segment, so the store stays about one window of ids per partition.
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_STORE, window, window, false), Serdes.String(), Serdes.Long()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .process(() -> new EnrichProcessor(SEEN_STORE, window, enricher, json, metrics), SEEN_STORE)
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }
}
