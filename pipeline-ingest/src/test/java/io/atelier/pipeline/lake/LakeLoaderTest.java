package io.atelier.pipeline.lake;

import static io.atelier.pipeline.support.LakeRecords.domain;
import static io.atelier.pipeline.support.LakeRecords.enriched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.pipeline.support.KafkaSpan;
import io.atelier.pipeline.support.LakeContents;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.testing.RealServers;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The loader on the real Kafka and PostgreSQL into a temporary lake of this run's own (application.properties, %test):
 * every consumed record is one row, with its content; two loaders split the partitions; compaction and retention.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "pipeline-ingest"))
@WithTestResource(TestTokenKeys.class)
class LakeLoaderTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static CloudEventWriter writer;

    @Inject
    LakeLoader loader;
    @Inject
    LakeConfig config;
    @Inject
    Manifest manifest;
    @Inject
    LakeMaintenance maintenance;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeAll
    static void openWriter() {
        writer = CloudEventWriter.local();
    }

    @AfterAll
    static void closeWriter() {
        if (writer != null) {
            writer.close();
        }
    }

    @BeforeEach
    void loaderOwnsEveryPartition() {
        await().atMost(WITHIN).until(() -> loader.assigned().size() == config.loader().topics().size() * 3);
    }

    private void send(List<ProducerRecord<String, String>> records) {
        records.forEach(writer::send);
    }

    private List<Map<String, Object>> awaitRows(List<String> ids) {
        return await().atMost(WITHIN).until(() -> LakeContents.rows(manifest, config, ids), rows -> rows.size() >= ids.size());
    }

    @Test
    void everyConsumedRecordBecomesOneRowWithItsContent() throws Exception {
        String user = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String productId = UUID.randomUUID().toString();
        records.add(enriched(productId, "page_view", at, user, Map.of("page", "/pricing", "title", "Pricing"), "Ada"));
        ids.add(productId);
        for (int i = 0; i < 20; i++) {
            ProducerRecord<String, String> record = enriched("user_action", at.minusSeconds(i), i % 2 == 0 ? user : null,
                    Map.of("action", "click", "page", "/p" + i));
            records.add(record);
            ids.add(new String(record.headers().lastHeader("ce_id").value()));
        }
        String postId = UUID.randomUUID().toString();
        String domainId = UUID.randomUUID().toString();
        records.add(domain(Topics.CONTENT_EVENTS, domainId, "content.post.created", "content-service", postId, at,
                Map.of("postId", postId, "authorId", user, "title", "Hello", "createdAt", at.toString())));
        ids.add(domainId);
        for (String topic : List.of(Topics.AUTH_USER_EVENTS, Topics.WORKSPACE_EVENTS, Topics.JOBS_STATUS)) {
            for (int i = 0; i < 3; i++) {
                String id = UUID.randomUUID().toString();
                records.add(domain(topic, id, topic.replace("-events", "").replace(".events", "") + ".probe", "probe", id, at,
                        Map.of("userId", user, "n", i)));
                ids.add(id);
            }
        }
        String unreadable = UUID.randomUUID().toString();
        records.add(CloudEventWriter.record(Topics.CONTENT_EVENTS, unreadable, "content.post.created", "content-service",
                "k", "not json {"));
        ids.add(unreadable);
        send(records);

        List<Map<String, Object>> rows = awaitRows(ids);
        assertThat(rows).hasSize(ids.size());
        assertThat(rows).extracting(r -> r.get("event_id")).containsExactlyInAnyOrderElementsOf(ids);

        Map<String, Object> product = rows.stream().filter(r -> productId.equals(r.get("event_id"))).findFirst().orElseThrow();
        assertThat(product).containsEntry("topic", "events.enriched").containsEntry("type", "page_view")
                .containsEntry("user_id", user).containsEntry("source", "web").containsEntry("subject", productId)
                .containsEntry("display_name", "Ada").containsEntry("date", LocalDate.ofInstant(at, ZoneOffset.UTC).toString());
        assertThat(new ObjectMapper().readTree((String) product.get("payload")).path("page").asText()).isEqualTo("/pricing");
        assertThat(product.get("occurred_at").toString().replace(' ', 'T')).startsWith(at.toString().substring(0, 19));
        assertThat((String) product.get("file")).contains("/date=" + LocalDate.ofInstant(at, ZoneOffset.UTC) + "/type=page_view/");

        Map<String, Object> post = rows.stream().filter(r -> domainId.equals(r.get("event_id"))).findFirst().orElseThrow();
        assertThat(post).containsEntry("topic", "content.events").containsEntry("type", "content.post.created")
                .containsEntry("user_id", user).containsEntry("source", "content-service").containsEntry("subject", postId);
        assertThat((String) post.get("payload")).contains("\"title\":\"Hello\"");
        Map<String, Object> bad = rows.stream().filter(r -> unreadable.equals(r.get("event_id"))).findFirst().orElseThrow();
        assertThat(bad).containsEntry("type", RowMapper.UNREADABLE).containsEntry("payload", "not json {");

        assertLakeHoldsExactlyTheCommittedOffsets();
    }

    @Test
    void theLoadersLagBehindEachPartitionIsAMetric() {
        send(List.of(enriched("page_view", Instant.now(), UUID.randomUUID().toString(), Map.of("page", "/lag"))));
        // Kafka writes the topic into its metric tags with '.' as '_'.
        String topic = Topics.EVENTS_ENRICHED.replace('.', '_');
        await().atMost(WITHIN).until(() -> registry.getMeters().stream().map(Meter::getId)
                .filter(id -> id.getName().equals("kafka.consumer.fetch.manager.records.lag"))
                .filter(id -> String.valueOf(id.getTag("client.id")).startsWith("lake-loader-"))
                .anyMatch(id -> topic.equals(id.getTag("topic")) || Topics.EVENTS_ENRICHED.equals(id.getTag("topic"))));
    }

    @Test
    void twoLoadersSplitThePartitionsAndWriteEachRowOnce() throws Exception {
        LakeLoader second = new LakeLoader(config, manifest, new SimpleMeterRegistry(), bootstrap);
        second.start(null);
        try {
            int partitions = config.loader().topics().size() * 3;
            await().atMost(WITHIN).until(() -> !second.assigned().isEmpty() && !loader.assigned().isEmpty()
                    && second.assigned().size() + loader.assigned().size() == partitions);
            assertThat(second.assigned()).doesNotContainAnyElementsOf(loader.assigned());
            List<String> ids = new ArrayList<>();
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            Instant at = Instant.now();
            for (int i = 0; i < 300; i++) {
                ProducerRecord<String, String> record = enriched("page_view", at, UUID.randomUUID().toString(),
                        Map.of("page", "/two/" + i));
                records.add(record);
                ids.add(new String(record.headers().lastHeader("ce_id").value()));
                String id = UUID.randomUUID().toString();
                records.add(domain(Topics.WORKSPACE_EVENTS, id, "workspace.project.created", "workspace-service",
                        UUID.randomUUID().toString(), at, Map.of("projectId", id)));
                ids.add(id);
            }
            long secondBefore = second.loadedRows();
            send(records);
            List<Map<String, Object>> rows = awaitRows(ids);
            assertThat(rows).hasSize(ids.size());
            assertThat(rows.stream().map(r -> r.get("event_id")).distinct().count()).isEqualTo(ids.size());
            assertThat(second.loadedRows()).isGreaterThan(secondBefore);
            assertLakeHoldsExactlyTheCommittedOffsets();
        } finally {
            second.stop(null);
        }
    }

    @Test
    void compactionMergesSmallFilesOfADayKeepingEveryRow() throws Exception {
        Instant day = randomPastDay();
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ProducerRecord<String, String> record = enriched("compaction_probe", day.plusSeconds(round * 100L + i),
                        "u" + i, Map.of("page", "/c"));
                records.add(record);
                ids.add(new String(record.headers().lastHeader("ce_id").value()));
            }
            send(records);
            awaitRows(List.copyOf(ids)); // each round is its own batch, so its own file
        }
        LocalDate date = LocalDate.ofInstant(day, ZoneOffset.UTC);
        List<Manifest.Entry> before = partition(date, "compaction_probe");
        assertThat(before).hasSizeGreaterThanOrEqualTo(3);

        assertThat(maintenance.runOnce()).isNotNull();

        List<Manifest.Entry> after = partition(date, "compaction_probe");
        assertThat(after).hasSize(1);
        assertThat(after.get(0).rows()).isEqualTo(before.stream().mapToLong(Manifest.Entry::rows).sum());
        before.forEach(e -> assertThat(config.dir().resolve(e.path())).doesNotExist()); // grace 0s in tests
        List<Map<String, Object>> rows = LakeContents.rows(manifest, config, ids);
        assertThat(rows).hasSize(ids.size());
        assertThat(rows).extracting(r -> r.get("event_id")).containsExactlyInAnyOrderElementsOf(ids);
        assertLakeHoldsExactlyTheCommittedOffsets();
    }

    // Last: the exactness check of the other tests reads contiguous offsets, which retention's deletions break.
    @Test
    @Order(Integer.MAX_VALUE)
    void retentionRemovesOnlyPartitionsOlderThanTheirTypesRetention() throws Exception {
        Instant now = Instant.now();
        ProducerRecord<String, String> expired = enriched("retention_probe", now.minus(Duration.ofDays(40)), "u", Map.of());
        ProducerRecord<String, String> recent = enriched("retention_probe", now.minus(Duration.ofDays(10)), "u", Map.of());
        ProducerRecord<String, String> otherType = enriched("retention_other", now.minus(Duration.ofDays(400)), "u", Map.of());
        send(List.of(expired, recent, otherType));
        List<String> ids = List.of(id(expired), id(recent), id(otherType));
        awaitRows(ids);
        List<Path> expiredFiles = partition(LocalDate.ofInstant(now.minus(Duration.ofDays(40)), ZoneOffset.UTC), "retention_probe")
                .stream().map(e -> config.dir().resolve(e.path())).toList();
        assertThat(expiredFiles).isNotEmpty();

        assertThat(maintenance.runOnce()).isNotNull();

        assertThat(LakeContents.rows(manifest, config, ids)).extracting(r -> r.get("event_id"))
                .containsExactlyInAnyOrder(id(recent), id(otherType));
        expiredFiles.forEach(f -> assertThat(f).doesNotExist());
        assertThat(expiredFiles.get(0).getParent()).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(Files.list(p)).isEmpty());
    }

    private static String id(ProducerRecord<String, String> record) {
        return new String(record.headers().lastHeader("ce_id").value());
    }

    private List<Manifest.Entry> partition(LocalDate day, String type) throws Exception {
        return manifest.live(config.name(), day, day, List.of(type));
    }

    /** A day far in the past that no other test of this run writes (the lake holds every test's records). */
    static Instant randomPastDay() {
        return LocalDate.of(1990, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(11_000)).atStartOfDay(ZoneOffset.UTC)
                .toInstant().plus(Duration.ofHours(10));
    }

    /**
     * What the lake holds is exactly what its manifest says was consumed: per partition, the rows' Kafka offsets are
     * distinct and are exactly the offsets a read-committed consumer gets from the lake's first row up to the
     * manifest's next offset (no loss, no duplicate). Checked on a quiet moment between two commits (other tests keep
     * writing to the shared topics).
     */
    private void assertLakeHoldsExactlyTheCommittedOffsets() {
        List<TopicPartition> all = new ArrayList<>();
        config.loader().topics().forEach(t -> {
            for (int p = 0; p < 3; p++) {
                all.add(new TopicPartition(t, p));
            }
        });
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<TopicPartition, Long> offsets = manifest.offsets(config.name(), all);
            assertThat(manifest.pending(config.name())).isEmpty();
            // Types with a retention are left out on both sides: any run's maintenance may expire them, and a test run
            // in another worktree writes retention probes to the same shared topic, which this run's lake loads too.
            java.util.Set<String> expiring = config.retention().keySet();
            List<Map<String, Object>> rows = LakeContents.select(LakeContents.liveFiles(manifest, config),
                    "topic, kafka_partition, kafka_offset, type", "true");
            assertThat(manifest.offsets(config.name(), all)).isEqualTo(offsets);
            Map<TopicPartition, List<Long>> lake = new HashMap<>();
            Map<TopicPartition, Long> first = new HashMap<>();
            for (Map<String, Object> row : rows) {
                TopicPartition partition = new TopicPartition((String) row.get("topic"),
                        Integer.parseInt((String) row.get("kafka_partition")));
                long offset = Long.parseLong((String) row.get("kafka_offset"));
                first.merge(partition, offset, Math::min);
                List<Long> list = lake.computeIfAbsent(partition, k -> new ArrayList<>());
                if (!expiring.contains((String) row.get("type"))) {
                    list.add(offset);
                }
            }
            assertThat(lake.keySet()).isEqualTo(offsets.keySet());
            Map<TopicPartition, long[]> spans = new HashMap<>();
            lake.forEach((partition, list) -> spans.put(partition, new long[] { first.get(partition), offsets.get(partition) }));
            Map<TopicPartition, java.util.Set<Long>> consumed = KafkaSpan.offsets(bootstrap, spans,
                    record -> record.value() == null || expiring.stream()
                            .noneMatch(type -> record.value().contains("\"event_type\":\"" + type + "\"")));
            lake.forEach((partition, list) -> {
                assertThat(list).as("no duplicate in %s", partition).doesNotHaveDuplicates();
                java.util.Set<Long> held = new java.util.HashSet<>(list);
                java.util.Set<Long> read = consumed.get(partition);
                // The sets run to thousands on the shared topics: name the offsets that differ, not the sets.
                assertThat(held).as(() -> "exactly the consumed records of " + partition + "; consumed, not in the lake: "
                        + read.stream().filter(o -> !held.contains(o)).sorted().limit(20).toList() + "; in the lake, not consumed: "
                        + held.stream().filter(o -> !read.contains(o)).sorted().limit(20).toList()).isEqualTo(read);
            });
        });
    }
}
