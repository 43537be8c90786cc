package io.atelier.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The private broker on its own: it serves, it is gone when killed, and it comes back with its data. */
class PrivateKafkaTest {

    @Test
    void keepsItsRecordsWhenKilledAndRestartedOnTheSamePort() throws Exception {
        TopicPartition partition = new TopicPartition("private-kafka-" + UUID.randomUUID(), 0);
        try (PrivateKafka broker = PrivateKafka.launch()) {
            int port = broker.port();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "key", "kept"))
                        .get(30, TimeUnit.SECONDS);
            }

            broker.kill();
            assertThat(broker.running()).isFalse();
            assertThat(Loopback.accepts(port, Duration.ofMillis(200))).isFalse();

            broker.restart();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(read(broker, partition)).containsExactly("key=kept");

            broker.terminate();
            assertThat(broker.running()).isFalse();
        }
    }

    /** Everything in the partition, read without a consumer group (no group coordinator to wait for). */
    private static List<String> read(PrivateKafka broker, TopicPartition partition) {
        List<String> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(r.key() + "=" + r.value()));
                return !records.isEmpty();
            });
        }
        return records;
    }
}
