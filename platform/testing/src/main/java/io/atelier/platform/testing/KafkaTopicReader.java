package io.atelier.platform.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic in a test: every partition, from where the topic ends when the reader is created,
 * so a test sees exactly what was written after it started (other tests' records before are skipped,
 * records written right after creation are not). A plain {@link KafkaConsumer} without a group:
 * nothing is committed and no rebalance delays the start. Keys and values as strings.
 *
 * <pre>
 * try (var reader = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.AUTH_USER_EVENTS)) {
 *     ... act ...
 *     var record = reader.await(r -&gt; userId.equals(r.key()), Duration.ofSeconds(30)).get(0);
 * }
 * </pre>
 *
 * Not thread-safe (neither is the consumer): use it from the test's thread.
 */
public final class KafkaTopicReader implements AutoCloseable {

    private static final Duration MAX_POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> read = new ArrayList<>();

    public KafkaTopicReader(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, false, false);
    }

    /**
     * A reader of committed records only ({@code isolation.level=read_committed}), from where the topic ends or from
     * its beginning: what a consumer of a topic written in transactions (Kafka Streams with exactly-once) sees.
     */
    public static KafkaTopicReader committed(String bootstrapServers, String topic, boolean fromBeginning) {
        return new KafkaTopicReader(bootstrapServers, topic, fromBeginning, true);
    }

    /** A reader of everything the topic holds (for a broker of the test's own, e.g. {@link PrivateKafka}). */
    public static KafkaTopicReader fromBeginning(String bootstrapServers, String topic) {
        return new KafkaTopicReader(bootstrapServers, topic, true, false);
    }

    private KafkaTopicReader(String bootstrapServers, String topic, boolean fromBeginning, boolean committed) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "atelier-test-reader-" + topic,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted"),
                new StringDeserializer(), new StringDeserializer());
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // seekToEnd is lazy: resolve the positions now, or records written before the first
            // poll would be skipped.
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Waits until at least one record read so far matches; returns every match, in the order read. */
    public List<ConsumerRecord<String, String>> await(Predicate<? super ConsumerRecord<String, String>> match,
            Duration timeout) {
        return await(match, 1, timeout);
    }

    /** Waits until at least {@code count} records read so far match; returns every match, in the order read. */
    public List<ConsumerRecord<String, String>> await(Predicate<? super ConsumerRecord<String, String>> match,
            int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<String, String>> matching = read.stream().filter(match).toList();
            long left = deadline - System.nanoTime();
            if (matching.size() >= count) {
                return matching;
            }
            if (left <= 0) {
                throw new AssertionError("%d of %d expected records on %s within %s (%d records read)"
                        .formatted(matching.size(), count, topic, timeout, read.size()));
            }
            consumer.poll(Duration.ofNanos(Math.min(left, MAX_POLL.toNanos()))).forEach(read::add);
        }
    }

    /** Everything read so far (after polling once for what has arrived), in the order read. */
    public List<ConsumerRecord<String, String>> records() {
        consumer.poll(Duration.ZERO).forEach(read::add);
        return List.copyOf(read);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** The topic's partitions; a topic that does not exist yet is auto-created by the first metadata request. */
    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        while (true) {
            var infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (!infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions after " + METADATA_TIMEOUT);
            }
        }
    }
}
