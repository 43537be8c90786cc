package io.atelier.pipeline.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Loads events.enriched and the domain topics into the lake, exactly once (docs/pipeline.md, "Exactly once").
 * A plain KafkaConsumer on its own thread: the loader owns every offset. A batch is written to temporary files,
 * then its files and the offsets after it are committed in one PostgreSQL transaction (the commit point), then
 * the files are renamed into place and marked live. On assignment a partition is read from the offset the
 * manifest holds, never from Kafka's committed offset (which is written after, for lag monitoring only).
 */
@ApplicationScoped
public class LakeLoader {

    private final LakeConfig config;
    private final Manifest manifest;
    private final LakeFolder folder;
    private final RowMapper mapper;
    private final String bootstrapServers;
    private final MeterRegistry metrics;
    private KafkaClientMetrics clientMetrics; // only the loop thread touches it
    private final Counter rowsLoaded;
    private final Counter fenced;
    private final Timer batchTimer;

    private volatile boolean running;
    private volatile boolean healthy = true;
    private volatile Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    // Loop thread only (the rebalance listener runs inside poll, on the same thread).
    private final List<LakeRow> buffer = new ArrayList<>();
    /** Per owned partition: where the next batch starts (the manifest's offset, or where reading began). */
    private final Map<TopicPartition, Long> expected = new HashMap<>();
    /** The owned partitions the manifest holds an offset for (the others get their first row with their first batch). */
    private final java.util.Set<TopicPartition> recorded = new java.util.HashSet<>();
    private volatile java.util.Set<TopicPartition> assigned = java.util.Set.of();
    /** Per partition of the current batch: the offset after its last row. */
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private long batchStartedNanos;
    /** The batch the writer thread is writing and committing, if any (at most one: a bounded hand-off). */
    private Future<Outcome> inFlight;
    private final java.util.concurrent.atomic.AtomicLong loaded = new java.util.concurrent.atomic.AtomicLong();

    public LakeLoader(LakeConfig config, Manifest manifest, MeterRegistry metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.manifest = manifest;
        this.folder = new LakeFolder(config.dir());
        this.mapper = new RowMapper(java.util.Set.copyOf(config.loader().productTopics()));
        this.bootstrapServers = bootstrapServers;
        this.metrics = metrics;
        this.rowsLoaded = Counter.builder("atelier.pipeline.lake.rows").description("Rows committed to the lake")
                .register(metrics);
        this.fenced = Counter.builder("atelier.pipeline.lake.fenced")
                .description("Batches dropped because another loader had moved their partitions' offsets").register(metrics);
        this.batchTimer = Timer.builder("atelier.pipeline.lake.batch").description("Writing and committing one batch")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (!config.loader().enabled()) {
            Log.info("lake loader disabled (atelier.lake.loader.enabled=false)");
            return;
        }
        try {
            Files.createDirectories(folder.temp());
            publishPending();
        } catch (Exception e) {
            throw new IllegalStateException("the lake at " + folder.root() + " cannot be prepared", e);
        }
        running = true;
        thread = Thread.ofPlatform().name("lake-loader").daemon().start(this::loop);
        Log.infof("lake loader started: lake %s at %s, group %s, topics %s", config.name(), folder.root(),
                config.loader().groupId(), config.loader().topics());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread current2 = thread;
        if (current2 != null) {
            try {
                current2.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The partitions this loader reads now (after a rebalance settles). */
    public java.util.Set<TopicPartition> assigned() {
        return assigned;
    }

    /** Rows this loader committed since it started. */
    public long loadedRows() {
        return loaded.get();
    }

    /** For readiness: the loader thread runs and its last batch did not fail (true when the loader is off). */
    public boolean running() {
        if (!config.loader().enabled()) {
            return true;
        }
        Thread current = thread;
        return running && current != null && current.isAlive() && healthy;
    }

    /**
     * Rolls committed batches forward: a file the manifest holds as pending is renamed into place (if a crash came
     * between the commit and the rename) and marked live. Idempotent, so any replica may do it at any time.
     */
    public void publishPending() throws Exception {
        List<Manifest.Entry> pending = manifest.pending(config.name());
        if (pending.isEmpty()) {
            return;
        }
        List<String> published = new ArrayList<>();
        for (Manifest.Entry entry : pending) {
            if (entry.tempPath() != null) {
                folder.publish(entry.tempPath(), entry.path());
            }
            published.add(entry.path());
        }
        manifest.markLive(config.name(), published);
        Log.infof("lake: %d committed file(s) rolled forward into place", published.size());
    }

    private void loop() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.loader().groupId());
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "lake-loader-" + UUID.randomUUID().toString().substring(0, 8));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.loader().maxPollRecords());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A batch may take a while to write at 50,000 rows; the group must not evict a loader that is writing.
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        // Spread every topic's partitions over the replicas (the range default gives one replica partition 0 of every topic).
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.RoundRobinAssignor.class.getName());
        ExecutorService writer = Executors.newSingleThreadExecutor(
                task -> Thread.ofPlatform().name("lake-writer").daemon().unstarted(task));
        // Keys and values as bytes: the mapper parses the value's bytes itself (no String per value, nor per key,
        // which the lake does not keep).
        try (ParquetFiles files = new ParquetFiles(config.loader().memoryLimit(), config.loader().threads());
                KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer = kafka;
            // Its client metrics, the lag behind each partition among them (kafka_consumer_fetch_manager_records_lag*,
            // tagged with this loader's client id): how far the lake is behind the topics it loads.
            clientMetrics = new KafkaClientMetrics(kafka);
            clientMetrics.bindTo(metrics);
            kafka.subscribe(config.loader().topics(), new Rebalance(kafka, files, writer));
            try {
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = kafka.poll(Duration.ofMillis(250));
                    if (!records.isEmpty()) {
                        if (buffer.isEmpty()) {
                            batchStartedNanos = System.nanoTime();
                        }
                        // Parsing is the loader's main cost: a poll's records are mapped on every core, in order.
                        buffer.addAll(StreamSupport.stream(records.spliterator(), records.count() > 256).map(mapper::map).toList());
                        for (TopicPartition partition : records.partitions()) { // one entry per partition, not per record
                            List<ConsumerRecord<byte[], byte[]>> read = records.records(partition);
                            ends.put(partition, read.get(read.size() - 1).offset() + 1);
                        }
                    }
                    if (inFlight != null && inFlight.isDone()) {
                        settle(kafka, true); // record a finished batch now, not only when the next one closes
                    }
                    if (buffer.size() >= config.loader().batchRows() || (!buffer.isEmpty()
                            && System.nanoTime() - batchStartedNanos >= config.loader().batchAge().toNanos())) {
                        handOff(kafka, files, writer);
                    }
                }
            } finally {
                // Before the consumer and DuckDB close: a batch being written finishes (or fails) on its own.
                awaitInFlight();
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            healthy = false;
            Log.errorf(e, "lake loader stopped");
        } finally {
            writer.shutdownNow();
            consumer = null;
            if (clientMetrics != null) {
                clientMetrics.close();
                clientMetrics = null;
            }
        }
    }

    /**
     * Closes the batch read so far and hands it to the writer thread, so that reading the next batch overlaps writing
     * this one. At most one batch is being written: the previous one is settled first (waiting for it if it is still
     * being written), so batches commit strictly in order and each starts where the previous one ended.
     */
    private void handOff(KafkaConsumer<byte[], byte[]> kafka, ParquetFiles files, ExecutorService writer) {
        long closedNanos = System.nanoTime();
        if (!settle(kafka, true)) {
            return; // the previous batch is not in the lake: it and this one are read again
        }
        Map<TopicPartition, Manifest.Range> ranges = new HashMap<>();
        ends.forEach((partition, next) -> ranges.put(partition,
                new Manifest.Range(recorded.contains(partition) ? expected.get(partition) : null, next)));
        Batch batch = new Batch(Instant.now().toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8),
                List.copyOf(buffer), Map.copyOf(ends), ranges, (closedNanos - batchStartedNanos) / 1_000_000,
                (System.nanoTime() - closedNanos) / 1_000_000);
        buffer.clear();
        ends.clear();
        inFlight = writer.submit(() -> write(batch, files));
    }

    /**
     * Waits for the batch being written, if any, and records its outcome: committed, the owned partitions move on
     * (and Kafka's offsets, for lag); failed or fenced, everything after the manifest's offsets is read again (the
     * batch being read included). Returns whether loading goes on from where it was.
     */
    private boolean settle(KafkaConsumer<byte[], byte[]> kafka, boolean backOff) {
        Future<Outcome> current = inFlight;
        if (current == null) {
            return true;
        }
        inFlight = null;
        Outcome outcome;
        try {
            outcome = current.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            rewind(kafka);
            return false;
        } catch (ExecutionException e) {
            healthy = false;
            Log.warnf(e.getCause(), "lake: a batch could not be written; reading it and what followed again");
            rewind(kafka);
            if (backOff) {
                pause();
            }
            return false;
        }
        Batch batch = outcome.batch();
        if (!outcome.committed()) {
            fenced.increment();
            Log.warnf("lake: batch %s dropped: another loader moved the offsets of %s (a rebalance)", batch.id(),
                    batch.ranges().keySet());
            rewind(kafka);
            return false;
        }
        healthy = true;
        expected.putAll(batch.ends());
        recorded.addAll(batch.ends().keySet());
        loaded.addAndGet(batch.rows().size());
        rowsLoaded.increment(batch.rows().size());
        Log.debugf("lake: batch %s, %d rows in %d files; read %d ms, waited %d ms, write %d ms, commit %d ms, publish %d ms",
                batch.id(), batch.rows().size(), outcome.files(), batch.readMillis(), batch.waitedMillis(),
                outcome.writeMillis(), outcome.commitMillis(), outcome.publishMillis());
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        batch.ends().forEach((partition, next) -> commits.put(partition, new OffsetAndMetadata(next)));
        // Kafka's committed offsets only show lag; where loading resumes comes from the manifest.
        kafka.commitAsync(commits, null);
        return true;
    }

    /** At shutdown or when partitions are lost: lets the batch being written finish; the manifest says what came of it. */
    private void awaitInFlight() {
        Future<Outcome> current = inFlight;
        inFlight = null;
        if (current != null) {
            try {
                current.get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // not committed, or the manifest will say: it is read again from the manifest's offsets
            }
        }
    }

    /**
     * On the writer thread: writes the batch to temporary files, commits them with the batch's offsets, renames them
     * into place and marks them live. Touches no state of the loop thread (which reads the next batch meanwhile).
     */
    private Outcome write(Batch batch, ParquetFiles files) throws Exception {
        Timer.Sample started = Timer.start();
        Path temp = folder.temp().resolve(batch.id());
        try {
            long writeStarted = System.nanoTime();
            List<ParquetFiles.Written> written = files.write(batch.rows(), temp, batch.id());
            long commitStarted = System.nanoTime();
            long rows = written.stream().mapToLong(ParquetFiles.Written::rows).sum();
            if (rows != batch.rows().size()) {
                throw new IllegalStateException("wrote " + rows + " rows of a batch of " + batch.rows().size());
            }
            crash(LakeConfig.CrashPoint.AFTER_WRITE);
            List<Manifest.Entry> entries = written.stream().map(w -> new Manifest.Entry(
                    LakeFolder.partition(w.day(), w.type()) + "/" + w.file().getFileName(), folder.relative(w.file()),
                    w.day(), w.type(), w.rows(), w.bytes(), "pending", w.hours())).toList();
            if (!manifest.commitBatch(config.name(), batch.ranges(), entries)) {
                deleteFolder(temp);
                return new Outcome(batch, false, 0, 0, 0, 0);
            }
            long publishStarted = System.nanoTime();
            crash(LakeConfig.CrashPoint.AFTER_COMMIT);
            for (Manifest.Entry entry : entries) {
                folder.publish(entry.tempPath(), entry.path());
            }
            crash(LakeConfig.CrashPoint.AFTER_RENAME);
            manifest.markLive(config.name(), entries.stream().map(Manifest.Entry::path).toList());
            deleteFolder(temp);
            return new Outcome(batch, true, entries.size(), (commitStarted - writeStarted) / 1_000_000,
                    (publishStarted - commitStarted) / 1_000_000, (System.nanoTime() - publishStarted) / 1_000_000);
        } catch (Exception e) {
            deleteFolder(temp);
            throw e;
        } finally {
            started.stop(batchTimer);
        }
    }

    /**
     * A closed batch: its rows, per partition the offset after its last row, and the ranges its commit moves (from
     * the offsets the previous batch left). {@code readMillis}: polling and mapping until it closed; {@code
     * waitedMillis}: waiting for the previous batch's write before it could be handed off.
     */
    private record Batch(String id, List<LakeRow> rows, Map<TopicPartition, Long> ends,
            Map<TopicPartition, Manifest.Range> ranges, long readMillis, long waitedMillis) {
    }

    /** What the writer made of a batch: committed, or not (fenced: another loader had moved its partitions' offsets). */
    private record Outcome(Batch batch, boolean committed, int files, long writeMillis, long commitMillis,
            long publishMillis) {
    }

    /** Forgets the batch and moves every owned partition back to where the manifest says the lake ends. */
    private void rewind(KafkaConsumer<byte[], byte[]> kafka) {
        rewind(kafka, List.of());
    }

    private void rewind(KafkaConsumer<byte[], byte[]> kafka, Collection<TopicPartition> gone) {
        buffer.clear();
        ends.clear();
        List<TopicPartition> owned = kafka.assignment().stream().filter(p -> !gone.contains(p)).toList();
        Map<TopicPartition, Long> offsets;
        try {
            offsets = manifest.offsets(config.name(), owned);
        } catch (Exception e) {
            offsets = Map.of(); // the manifest is away too: back to where the batch started
        }
        for (TopicPartition partition : owned) {
            Long offset = offsets.get(partition);
            if (offset != null) {
                recorded.add(partition);
                expected.put(partition, offset);
            }
            if (expected.containsKey(partition)) {
                kafka.seek(partition, expected.get(partition));
            }
        }
    }

    /** Positions newly assigned partitions: at the manifest's offset, else at the configured start. */
    private void assign(KafkaConsumer<byte[], byte[]> kafka, Collection<TopicPartition> partitions,
            Map<TopicPartition, Long> offsets) {
        List<TopicPartition> unrecorded = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Long offset = offsets.get(partition);
            if (offset == null) {
                recorded.remove(partition);
                unrecorded.add(partition);
            } else {
                recorded.add(partition);
                expected.put(partition, offset);
                kafka.seek(partition, offset);
            }
        }
        if (!unrecorded.isEmpty()) {
            if (config.loader().startAt() == LakeConfig.StartAt.LATEST) {
                kafka.seekToEnd(unrecorded);
            } else {
                kafka.seekToBeginning(unrecorded);
            }
            // Resolve the lazy seek now: the batch's start must be known, and nothing may slip past it.
            unrecorded.forEach(p -> expected.put(p, kafka.position(p)));
        }
    }

    private void crash(LakeConfig.CrashPoint point) {
        if (config.loader().crashAt() == point) {
            Log.warnf("lake: test hook atelier.lake.loader.crash-at=%s: halting the JVM", point);
            Runtime.getRuntime().halt(137);
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000); // back off before reading the batch again (the manifest or the disk may be away)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    static void deleteFolder(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the maintenance job
                }
            });
        } catch (IOException e) {
            // left for the maintenance job
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> kafka;
        private final ParquetFiles files;
        private final ExecutorService writer;

        Rebalance(KafkaConsumer<byte[], byte[]> kafka, ParquetFiles files, ExecutorService writer) {
            this.kafka = kafka;
            this.files = files;
            this.writer = writer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Still the owner: finish the batch being written and write what was read so far, so the next owner
            // starts after it. A batch that fails here is simply not in the lake: the next owner reads it again.
            if (settle(kafka, false) && !buffer.isEmpty()) {
                handOff(kafka, files, writer);
                settle(kafka, false);
            }
            buffer.clear();
            ends.clear();
            partitions.forEach(expected::remove);
            partitions.forEach(recorded::remove);
            assigned = java.util.Set.copyOf(kafka.assignment().stream().filter(p -> !partitions.contains(p)).toList());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // No longer the owner: the batch may not be committed (the fence would refuse it anyway). A batch being
            // written ends first; the rewind below takes the manifest's word for what it left.
            awaitInFlight();
            partitions.forEach(expected::remove);
            partitions.forEach(recorded::remove);
            rewind(kafka, partitions);
            assigned = java.util.Set.of();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                // Another replica may have crashed after committing: put its files in place first.
                publishPending();
                assign(kafka, partitions, manifest.offsets(config.name(), partitions));
                assigned = java.util.Set.copyOf(kafka.assignment());
            } catch (Exception e) {
                throw new IllegalStateException("the lake's manifest is not readable", e);
            }
        }
    }
}
