package io.atelier.platform.outbox;

import static io.atelier.platform.testing.CloudEventRecords.header;
import static io.atelier.platform.outbox.OutboxTestSupport.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.atelier.platform.outbox.fixture.NoteRecorded;
import io.atelier.platform.outbox.fixture.Notes;
import io.atelier.platform.testing.InjectPrivateKafka;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.PrivateKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Kills the broker, writes, starts it again, and counts what arrives: on a broker of this class's own (the
 * app's PostgreSQL stays the shared one of the module's RealServers; the shared broker stays up).
 */
@QuarkusTest
@WithTestResource(PrivateKafka.class) // starts after the module's RealServers: the app's kafka.bootstrap.servers is this broker
class OutboxBrokerOutageTest {

    private static final int EVENTS = 30;

    @Inject
    Notes notes;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @Inject
    @Readiness
    OutboxBrokerReadiness readiness;

    @InjectPrivateKafka
    PrivateKafka broker;

    @AfterEach
    void brokerIsBack() {
        if (!broker.running()) {
            broker.restart(); // also when the test failed half-way
        }
    }

    @Test
    void writesSucceedWhileBrokerIsDownAndEveryEventArrivesInOrderAfterwards() {
        String run = UUID.randomUUID().toString();
        List<String> aggregates = List.of("a-" + run, "b-" + run, "c-" + run);
        Map<String, List<String>> written = new LinkedHashMap<>();
        aggregates.forEach(a -> written.put(a, new ArrayList<>()));

        // One event the broker acknowledged before it died: a real broker keeps it across the crash.
        String acknowledged = "before-" + run;
        notes.record(acknowledged, "sent before the outage");
        await().atMost(Duration.ofSeconds(30)).until(() -> strings(dataSource,
                "SELECT id FROM atelier_outbox WHERE event_key = ? AND sent_at IS NOT NULL", acknowledged).size() == 1);

        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        broker.kill();
        assertThat(readiness.call().getStatus()).as("the outbox's broker is away").isEqualTo(HealthCheckResponse.Status.DOWN);
        for (int i = 0; i < EVENTS; i++) {
            String aggregate = aggregates.get(i % aggregates.size());
            String id = notes.record(aggregate, "note-" + i).toString();
            written.get(aggregate).add(id);
        }
        assertThat(strings(dataSource, "SELECT id FROM atelier_outbox WHERE event_key LIKE ? AND sent_at IS NULL",
                "%-" + run)).hasSize(EVENTS);
        // The relay tried, failed and keeps the events queued (not merely buffered in the producer).
        double failuresBefore = relayFailures();
        await().atMost(Duration.ofSeconds(30)).until(() -> relayFailures() > failuresBefore);
        assertThat(strings(dataSource, "SELECT id FROM atelier_outbox WHERE event_key LIKE ? AND sent_at IS NULL",
                "%-" + run)).hasSize(EVENTS);

        broker.restart(); // same port, same data: the relay's producer reconnects on its own
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP);

        try (KafkaTopicReader topic = KafkaTopicReader.fromBeginning(broker.bootstrapServers(), NoteRecorded.TOPIC)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> receivedIds(topic, aggregates).values().stream()
                    .mapToInt(List::size).sum() >= EVENTS);
            Map<String, List<String>> received = receivedIds(topic, aggregates);
            assertThat(topic.records()).as("acknowledged before the kill, still on the restarted broker")
                    .anyMatch(r -> acknowledged.equals(r.key()));
            // None lost, none reordered per aggregate (at-least-once: a redelivered copy would be deduped by id).
            assertThat(received).isEqualTo(written);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> strings(dataSource,
                "SELECT id FROM atelier_outbox WHERE event_key LIKE ? AND sent_at IS NULL", "%-" + run).isEmpty());
    }

    private double relayFailures() {
        return metrics.counter("atelier.outbox.send.failures").count();
    }

    /** Event ids per aggregate in arrival order, first copy of each id only. */
    private static Map<String, List<String>> receivedIds(KafkaTopicReader topic, List<String> aggregates) {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        aggregates.forEach(a -> ids.put(a, new ArrayList<>()));
        for (ConsumerRecord<String, String> record : topic.records()) {
            List<String> seen = ids.get(record.key());
            String id = header(record, "ce_id");
            if (seen != null && !seen.contains(id)) {
                seen.add(id);
            }
        }
        return ids;
    }
}
