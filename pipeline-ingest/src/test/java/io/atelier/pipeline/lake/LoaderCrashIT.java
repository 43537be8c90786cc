package io.atelier.pipeline.lake;

import static io.atelier.pipeline.support.LakeRecords.domain;
import static io.atelier.pipeline.support.LakeRecords.enriched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.atelier.pipeline.support.KafkaSpan;
import io.atelier.pipeline.support.LakeContents;
import io.atelier.pipeline.support.TemporaryLake;
import io.atelier.platform.events.Topics;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.testing.FreeManagementPort;
import io.atelier.platform.testing.LocalSuite;
import io.atelier.platform.testing.PackagedInstance;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged loader killed as kill -9 would (Runtime.halt through the test hook atelier.lake.loader.crash-at) at each
 * point of a batch, then started again: every record is in the lake exactly once. The lake starts at offsets the test
 * writes into the manifest, so only the test's own records are in its span.
 */
@QuarkusIntegrationTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "pipeline-ingest"))
@WithTestResource(TestTokenKeys.class)
@WithTestResource(FreeManagementPort.class)
@WithTestResource(TemporaryLake.class)
class LoaderCrashIT {

    private static final List<String> TOPICS = List.of(Topics.EVENTS_ENRICHED, Topics.CONTENT_EVENTS);

    @ParameterizedTest
    @EnumSource(value = LakeConfig.CrashPoint.class, names = { "AFTER_WRITE", "AFTER_COMMIT", "AFTER_RENAME" })
    void aLoaderKilledMidBatchLosesAndDuplicatesNothing(LakeConfig.CrashPoint point) throws Exception {
        LocalSuite suite = LocalSuite.find();
        Map<String, String> settings = new HashMap<>();
        RealServers servers = new RealServers();
        servers.init(Map.of(RealServers.SERVICE, "pipeline-ingest"));
        settings.putAll(servers.start());
        TestTokenKeys keys = new TestTokenKeys();
        settings.putAll(keys.start());
        settings.putAll(TemporaryLake.settings("crash"));
        settings.put("atelier.lake.loader.topics", String.join(",", TOPICS));
        settings.put("atelier.lake.loader.batch-rows", "100000"); // one batch: by age
        settings.put("atelier.lake.loader.batch-age", "3s");
        String lake = settings.get("atelier.lake.name");
        Map<TopicPartition, Long> start = seedOffsets(suite, lake);

        List<String> ids = new ArrayList<>();
        Map<String, String> crashing = new HashMap<>(settings);
        crashing.put("atelier.lake.loader.crash-at", point.name().toLowerCase().replace('_', '-'));
        // Other modules' tests may write content.events while this instance starts (CI builds two modules at once): a
        // batch of their rows, closed by age, would halt the JVM before it is ready. A minute leaves the start its time
        // and still takes this test's rows into the batch that crashes.
        crashing.put("atelier.lake.loader.batch-age", "60s");
        try (PackagedInstance first = PackagedInstance.start("lake-crash-" + point, crashing);
                CloudEventWriter writer = CloudEventWriter.local()) {
            Instant at = Instant.now();
            for (int i = 0; i < 150; i++) {
                ProducerRecord<String, String> product = enriched("page_view", at, "u" + (i % 7), Map.of("page", "/crash"));
                writer.send(product);
                ids.add(new String(product.headers().lastHeader("ce_id").value()));
                String id = UUID.randomUUID().toString();
                writer.send(domain(Topics.CONTENT_EVENTS, id, "content.post.created", "content-service", id, at, Map.of("postId", id)));
                ids.add(id);
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.readString(first.log()).contains("halting the JVM"));
            first.kill();
        }
        // What the crash left behind: each point its own state.
        List<String[]> files = files(suite, lake);
        switch (point) {
            case AFTER_WRITE -> assertThat(files).isEmpty();
            case AFTER_COMMIT -> assertThat(files).isNotEmpty().allSatisfy(f -> {
                assertThat(f[1]).isEqualTo("pending");
                assertThat(Path.of(settings.get("atelier.lake.dir"), f[0])).doesNotExist();
            });
            case AFTER_RENAME -> assertThat(files).isNotEmpty().allSatisfy(f -> {
                assertThat(f[1]).isEqualTo("pending");
                assertThat(Path.of(settings.get("atelier.lake.dir"), f[0])).exists();
            });
            default -> throw new IllegalArgumentException();
        }

        try (PackagedInstance second = PackagedInstance.start("lake-restart-" + point, settings)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> LakeContents.select(liveFiles(suite, lake, settings),
                    "count(*) AS n", "event_id IN (" + quoted(ids) + ")").stream().findFirst()
                    .map(r -> r.get("n").equals(Integer.toString(ids.size()))).orElse(false));
            List<Path> live = liveFiles(suite, lake, settings);
            List<Map<String, Object>> rows = LakeContents.select(live, "event_id, count(*) AS n",
                    "event_id IN (" + quoted(ids) + ") GROUP BY event_id");
            assertThat(rows).hasSize(ids.size()).allSatisfy(r -> assertThat(r.get("n")).isEqualTo("1"));
            // Nothing else in the lake's span but what a read-committed consumer gets there, each offset once (rows of
            // batches committed after the manifest was read are left out; a batch between commit and live is waited for).
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<TopicPartition, Long> next = offsets(suite, lake);
                Map<TopicPartition, long[]> spans = new HashMap<>();
                next.forEach((partition, offset) -> spans.put(partition, new long[] { start.get(partition), offset }));
                Map<TopicPartition, java.util.Set<Long>> consumed = KafkaSpan.offsets(suite.kafkaBootstrap(), spans);
                List<Map<String, Object>> all = LakeContents.select(liveFiles(suite, lake, settings),
                        "topic, kafka_partition, kafka_offset", "true");
                Map<TopicPartition, List<Long>> inLake = new HashMap<>();
                for (Map<String, Object> row : all) {
                    TopicPartition partition = new TopicPartition((String) row.get("topic"),
                            Integer.parseInt((String) row.get("kafka_partition")));
                    long offset = Long.parseLong((String) row.get("kafka_offset"));
                    if (offset < next.get(partition)) {
                        inLake.computeIfAbsent(partition, k -> new ArrayList<>()).add(offset);
                    }
                }
                consumed.forEach((partition, offsets) -> {
                    List<Long> rowsOfPartition = inLake.getOrDefault(partition, List.of());
                    assertThat(rowsOfPartition).as("no duplicate in %s", partition).doesNotHaveDuplicates();
                    assertThat(new java.util.HashSet<>(rowsOfPartition)).as("exactly the consumed records of %s", partition)
                            .isEqualTo(offsets);
                });
            });
        } finally {
            keys.stop();
        }
    }

    private static String quoted(List<String> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "));
    }

    private static Connection database(LocalSuite suite) throws Exception {
        return DriverManager.getConnection(suite.jdbcUrl(), "analytics", suite.databasePassword("analytics"));
    }

    /** The lake starts where the topics end now: the manifest is given these offsets before any loader runs. */
    private static Map<TopicPartition, Long> seedOffsets(LocalSuite suite, String lake) throws Exception {
        Map<TopicPartition, Long> ends;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                suite.kafkaBootstrap()), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        }
        try (Connection connection = database(suite);
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO lake_offset (lake, topic, partition, next_offset) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                insert.setString(1, lake);
                insert.setString(2, end.getKey().topic());
                insert.setInt(3, end.getKey().partition());
                insert.setLong(4, end.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return ends;
    }

    private static Map<TopicPartition, Long> offsets(LocalSuite suite, String lake) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (Connection connection = database(suite);
                PreparedStatement select = connection.prepareStatement(
                        "SELECT topic, partition, next_offset FROM lake_offset WHERE lake = ?")) {
            select.setString(1, lake);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    offsets.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
                }
            }
        }
        return offsets;
    }

    /** Every file the manifest lists: path and state. */
    private static List<String[]> files(LocalSuite suite, String lake) throws Exception {
        List<String[]> files = new ArrayList<>();
        try (Connection connection = database(suite);
                PreparedStatement select = connection.prepareStatement("SELECT path, state FROM lake_file WHERE lake = ?")) {
            select.setString(1, lake);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    files.add(new String[] { rows.getString(1), rows.getString(2) });
                }
            }
        }
        return files;
    }

    private static List<Path> liveFiles(LocalSuite suite, String lake, Map<String, String> settings) throws Exception {
        return files(suite, lake).stream().filter(f -> f[1].equals("live"))
                .map(f -> Path.of(settings.get("atelier.lake.dir"), f[0])).toList();
    }
}
