package io.atelier.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class EventProducerTest {

    @Test
    void keepsTheBrokersProducerSettingsAndDropsTheRest() {
        Map<String, Object> settings = EventProducer.settings(Map.of("bootstrap.servers", "127.0.0.1:1",
                "security.protocol", "SSL", "group.id", "app", "auto.offset.reset", "earliest"), "app-outbox", Map.of());

        assertThat(settings).containsEntry("bootstrap.servers", "127.0.0.1:1")
                .containsEntry("security.protocol", "SSL")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "app-outbox")
                .doesNotContainKeys("group.id", "auto.offset.reset");
    }

    @Test
    void tuningCannotWeakenTheDeliveryGuarantees() {
        Map<String, Object> settings = EventProducer.settings(Map.of("bootstrap.servers", "127.0.0.1:1", "acks", "0"),
                "app", Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                        ProducerConfig.LINGER_MS_CONFIG, 7));

        assertThat(settings).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 7);
    }

    @Test
    void serializersAreItsOwn() {
        Map<String, Object> settings = EventProducer.settings(Map.of("key.serializer", "x.Y", "bootstrap.servers", "h:1"),
                "app", Map.of("value.serializer", "x.Z"));

        assertThat(settings).doesNotContainKeys("key.serializer", "value.serializer");
    }
}
