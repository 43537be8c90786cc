package io.atelier.pipeline.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The offsets of the records a read-committed consumer gets between two offsets of each partition: what the loader
 * consumed there. Offsets are not contiguous on a topic written transactionally (Kafka Streams' exactly-once
 * writes events.enriched): commit markers take offsets too.
 */
public final class KafkaSpan {

    private KafkaSpan() {
    }

    /** @param spans per partition: {from, to} (to exclusive) */
    public static Map<TopicPartition, Set<Long>> offsets(String bootstrap, Map<TopicPartition, long[]> spans) {
        return offsets(bootstrap, spans, record -> true);
    }

    /** Only the records {@code counted} accepts. */
    public static Map<TopicPartition, Set<Long>> offsets(String bootstrap, Map<TopicPartition, long[]> spans,
            java.util.function.Predicate<ConsumerRecord<String, String>> counted) {
        Map<TopicPartition, Set<Long>> read = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>(spans.keySet());
            consumer.assign(partitions);
            spans.forEach((partition, span) -> {
                consumer.seek(partition, span[0]);
                read.put(partition, new HashSet<>());
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < spans.get(p)[1])) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the spans " + spans.keySet() + " within 60 s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < spans.get(partition)[1] && counted.test(record)) {
                        read.get(partition).add(record.offset());
                    }
                }
            }
        }
        return read;
    }
}
