package io.atelier.platform.outbox;

import static io.atelier.platform.testing.CloudEventRecords.header;
import static io.atelier.platform.outbox.OutboxTestSupport.strings;
import static io.atelier.platform.outbox.OutboxTestSupport.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.outbox.fixture.NoteRecorded;
import io.atelier.platform.outbox.fixture.Notes;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OutboxTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Inject
    Notes notes;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxJanitor janitor;

    @Inject
    Outbox outbox;

    KafkaTopicReader topic;

    @BeforeEach
    void consumeFixtureTopic() {
        topic = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), NoteRecorded.TOPIC);
    }

    @AfterEach
    void close() {
        topic.close();
    }

    @Test
    void committedChangeIsPublishedAsBinaryCloudEventKeyedByAggregate() {
        String aggregate = "agg-" + UUID.randomUUID();

        UUID eventId = notes.record(aggregate, "hello");

        ConsumerRecord<String, String> record = awaitRecords(aggregate, 1).get(0);
        assertThat(record.key()).isEqualTo(aggregate);
        assertThat(record.value()).contains("\"body\":\"hello\"").doesNotContain("topic").doesNotContain("eventType");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_id")).isEqualTo(eventId.toString());
        assertThat(header(record, "ce_type")).isEqualTo(NoteRecorded.TYPE);
        assertThat(header(record, "ce_source")).isEqualTo("platform-fixture");
        assertThat(header(record, "ce_subject")).isEqualTo(aggregate);
        assertThat(header(record, "ce_time")).isNotBlank();
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(
                strings(dataSource, "SELECT sent_at FROM atelier_outbox WHERE id = ?", eventId)).doesNotContainNull());
    }

    @Test
    void eventsRecordedTogetherArriveInTheirOrderEachWithItsOwnId() {
        String aggregate = "agg-" + UUID.randomUUID();
        List<String> bodies = List.of("first", "second", "third");

        List<UUID> ids = notes.recordAll(aggregate, bodies);

        List<ConsumerRecord<String, String>> records = awaitRecords(aggregate, 3);
        assertThat(records).extracting(r -> header(r, "ce_id")).containsExactlyElementsOf(ids.stream().map(UUID::toString).toList());
        assertThat(records).extracting(ConsumerRecord::value).satisfiesExactly(
                first -> assertThat(first).contains("\"body\":\"first\""),
                second -> assertThat(second).contains("\"body\":\"second\""),
                third -> assertThat(third).contains("\"body\":\"third\""));
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void rolledBackChangeEmitsNothing() {
        String aggregate = "agg-" + UUID.randomUUID();

        assertThatThrownBy(() -> notes.recordThenFail(aggregate, "rolled back")).isInstanceOf(IllegalStateException.class);
        notes.record(aggregate, "committed");

        // Events of one aggregate arrive in order: once the later one is here, the earlier would be too.
        awaitRecords(aggregate, 1);
        assertThat(recordsOf(aggregate)).extracting(ConsumerRecord::value).singleElement()
                .asString().contains("committed");
        assertThat(strings(dataSource, "SELECT body FROM note WHERE aggregate = ?", aggregate)).containsExactly("committed");
        assertThat(strings(dataSource, "SELECT payload FROM atelier_outbox WHERE event_key = ?", aggregate)).hasSize(1);
    }

    @Test
    void recordingAnEventOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> outbox.publish(new NoteRecorded("agg-" + UUID.randomUUID(), "no transaction")))
                .isInstanceOf(TransactionalException.class);
    }

    @Test
    void redeliveredEventIsAppliedOnce() {
        String aggregate = "agg-" + UUID.randomUUID();
        String duplicated = UUID.randomUUID().toString();
        String next = UUID.randomUUID().toString();

        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalSuite.find().kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (var record : List.of(cloudEvent(aggregate, duplicated, "first"),
                    cloudEvent(aggregate, duplicated, "first, delivered again"), cloudEvent(aggregate, next, "second"))) {
                producer.send(record);
            }
            producer.flush();
        }

        // The consumer handles one key in order: once 'next' is applied, both copies were seen.
        await().atMost(DELIVERY).until(() -> strings(dataSource,
                "SELECT event_id FROM applied_note WHERE aggregate = ?", aggregate).contains(next));
        assertThat(strings(dataSource, "SELECT body FROM applied_note WHERE aggregate = ? ORDER BY body", aggregate))
                .containsExactly("first", "second");
    }

    @Test
    void janitorDeletesWhatWasSentOrConsumedLongerAgoThanItsRetention() {
        String aggregate = "agg-" + UUID.randomUUID();
        UUID sentLongAgo = UUID.randomUUID();
        UUID createdLongAgoSentLately = UUID.randomUUID();
        UUID sentLately = UUID.randomUUID();
        String insert = """
                INSERT INTO atelier_outbox (id, topic, event_key, event_type, payload, created_at, sent_at)
                VALUES (?, 'platform.fixture.none', ?, 'test', '{}', now() - ?::interval, now() - ?::interval)""";
        update(dataSource, insert, sentLongAgo, aggregate, "40 days", "40 days");
        update(dataSource, insert, createdLongAgoSentLately, aggregate, "40 days", "1 hour");
        update(dataSource, insert, sentLately, aggregate, "1 hour", "1 hour");
        String consumer = "janitor-test-" + UUID.randomUUID();
        String remember = "INSERT INTO atelier_consumed_event (consumer, event_id, consumed_at) VALUES (?, ?, now() - ?::interval)";
        update(dataSource, remember, consumer, "old", "30 days");
        update(dataSource, remember, consumer, "recent", "1 day");

        janitor.clean();

        assertThat(strings(dataSource, "SELECT id FROM atelier_outbox WHERE event_key = ?", aggregate))
                .containsExactlyInAnyOrder(createdLongAgoSentLately.toString(), sentLately.toString());
        assertThat(strings(dataSource, "SELECT event_id FROM atelier_consumed_event WHERE consumer = ?", consumer))
                .containsExactly("recent");
    }

    private List<ConsumerRecord<String, String>> awaitRecords(String aggregate, int count) {
        await().atMost(DELIVERY).until(() -> recordsOf(aggregate).size() >= count);
        return recordsOf(aggregate);
    }

    private List<ConsumerRecord<String, String>> recordsOf(String aggregate) {
        return topic.records().stream().filter(r -> aggregate.equals(r.key())).toList();
    }

    private static ProducerRecord<String, String> cloudEvent(String aggregate, String id, String body) {
        var headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", NoteRecorded.TYPE.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "outbox-test".getBytes(StandardCharsets.UTF_8));
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        String json = "{\"aggregate\":\"" + aggregate + "\",\"body\":\"" + body + "\"}";
        return new ProducerRecord<>(NoteRecorded.TOPIC, null, aggregate, json, headers);
    }
}
