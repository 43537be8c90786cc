package io.atelier.pipeline.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Compaction, retention and clean-up of the lake, on a schedule, by one replica at a time (a PostgreSQL advisory lock
 * per lake). Each change of content is one manifest transaction: queries (which read the manifest's live files) see
 * the partition before or after it, never both or neither.
 */
@ApplicationScoped
public class LakeMaintenance {

    /** What one run did. */
    public record Report(int compactedPartitions, int mergedFiles, int expiredFiles, int deletedFiles) {
    }

    private final LakeConfig config;
    private final Manifest manifest;
    private final LakeLoader loader;
    private final LakeFolder folder;
    private final Clock clock;
    private final Counter compacted;
    private final Counter expired;
    private ParquetFiles files;

    public LakeMaintenance(LakeConfig config, Manifest manifest, LakeLoader loader, Clock clock, MeterRegistry metrics) {
        this.config = config;
        this.manifest = manifest;
        this.loader = loader;
        this.folder = new LakeFolder(config.dir());
        this.clock = clock;
        this.compacted = Counter.builder("atelier.pipeline.lake.compacted").description("Small files merged away")
                .register(metrics);
        this.expired = Counter.builder("atelier.pipeline.lake.expired").description("Files removed by retention")
                .register(metrics);
    }

    @Scheduled(every = "${atelier.lake.compaction.every:10m}", delayed = "${atelier.lake.compaction.every:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            runOnce();
        } catch (Exception e) {
            Log.warnf(e, "lake maintenance failed; it runs again in %s", config.compaction().every());
        }
    }

    /** One run, if no other replica is running one; null when another holds the lock. */
    public synchronized Report runOnce() throws Exception {
        Report[] report = new Report[1];
        boolean ran = manifest.withMaintenanceLock(config.name(), () -> report[0] = maintain());
        return ran ? report[0] : null;
    }

    private Report maintain() throws Exception {
        loader.publishPending();
        int expiredFiles = expire();
        int[] compaction = compact();
        int deleted = deleteRemoved() + cleanStrays();
        folder.pruneEmptyFolders();
        return new Report(compaction[0], compaction[1], expiredFiles, deleted);
    }

    /** Retention: a type's day partition is removed once the whole day is older than the type's retention. */
    private int expire() throws Exception {
        int total = 0;
        for (Map.Entry<String, Duration> retention : config.retention().entrySet()) {
            LocalDate keepFrom = LocalDate.ofInstant(clock.instant().minus(retention.getValue()), ZoneOffset.UTC);
            int count = manifest.expire(config.name(), retention.getKey(), keepFrom);
            if (count > 0) {
                Log.infof("lake: retention removed %d file(s) of %s before %s", count, retention.getKey(), keepFrom);
            }
            total += count;
        }
        expired.increment(total);
        return total;
    }

    /** Merges the small files of each day-and-type partition that has enough of them into one file. */
    private int[] compact() throws Exception {
        Map<String, List<Manifest.Entry>> small = new LinkedHashMap<>();
        for (Manifest.Entry entry : manifest.live(config.name())) {
            if (entry.bytes() < config.compaction().smallFileBytes()) {
                small.computeIfAbsent(LakeFolder.partition(entry.day(), entry.type()), k -> new ArrayList<>()).add(entry);
            }
        }
        int partitions = 0;
        int merged = 0;
        for (Map.Entry<String, List<Manifest.Entry>> partition : small.entrySet()) {
            List<Manifest.Entry> entries = partition.getValue();
            if (entries.size() < config.compaction().minFiles()) {
                continue;
            }
            if (merge(partition.getKey(), entries)) {
                partitions++;
                merged += entries.size();
            }
        }
        compacted.increment(merged);
        return new int[] { partitions, merged };
    }

    private boolean merge(String partition, List<Manifest.Entry> entries) throws Exception {
        String name = "c" + Instant.now(clock).toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path temp = folder.temp().resolve(name);
        Files.createDirectories(temp);
        Path output = temp.resolve(name + ".parquet");
        try {
            Manifest.Entry first = entries.get(0);
            ParquetFiles.Written written = files().merge(entries.stream().map(e -> folder.resolve(e.path())).toList(), output,
                    first.day(), first.type());
            long expectedRows = entries.stream().mapToLong(Manifest.Entry::rows).sum();
            if (written.rows() != expectedRows) {
                throw new IllegalStateException("compaction of " + partition + " read " + written.rows() + " rows, the "
                        + "manifest lists " + expectedRows);
            }
            String finalPath = partition + "/" + name + ".parquet";
            // In place before the switch: a crash here leaves a file the manifest does not list, which the clean-up
            // deletes; the switch itself is one transaction.
            folder.publish(folder.relative(output), finalPath);
            // The merged file's hour counts are counted from it, so a partition of files from before the hour counts
            // gets them once compacted.
            Manifest.Entry mergedEntry = new Manifest.Entry(finalPath, null, first.day(), first.type(), written.rows(),
                    written.bytes(), "live", written.hours());
            if (!manifest.replace(config.name(), entries.stream().map(Manifest.Entry::path).toList(), mergedEntry)) {
                folder.deleteQuietly(folder.resolve(finalPath));
                return false;
            }
            Log.infof("lake: compacted %s: %d files, %d rows", partition, entries.size(), written.rows());
            return true;
        } finally {
            LakeLoader.deleteFolder(temp);
        }
    }

    /** Files removed (compacted or expired) longer ago than the grace: deleted, then forgotten. */
    private int deleteRemoved() throws Exception {
        List<Manifest.Entry> removed = manifest.removedBefore(config.name(), clock.instant().minus(config.compaction().grace()));
        for (Manifest.Entry entry : removed) {
            folder.deleteQuietly(folder.resolve(entry.path()));
        }
        if (!removed.isEmpty()) {
            manifest.forget(config.name(), removed.stream().map(Manifest.Entry::path).toList());
        }
        return removed.size();
    }

    /**
     * Data files the manifest does not list (a compaction that crashed before its switch) and temporary batches it
     * does not list (a loader that crashed before its commit), once older than the stray age. A loader's final file
     * always has its manifest row before it exists, so a listed-less data file is never a batch in flight.
     */
    private int cleanStrays() throws Exception {
        Set<String> known = manifest.known(config.name());
        Instant before = clock.instant().minus(config.compaction().strayAge());
        int deleted = 0;
        for (String file : folder.dataFiles()) {
            Path path = folder.resolve(file);
            if (!known.contains(file) && olderThan(path, before)) {
                Log.infof("lake: deleting %s, which the manifest does not list", file);
                folder.deleteQuietly(path);
                deleted++;
            }
        }
        if (Files.isDirectory(folder.temp())) {
            try (Stream<Path> batches = Files.list(folder.temp())) {
                for (Path batch : batches.toList()) {
                    boolean listed;
                    try (Stream<Path> inside = Files.walk(batch)) {
                        listed = inside.anyMatch(p -> known.contains(folder.relative(p)));
                    }
                    if (!listed && olderThan(batch, before)) {
                        LakeLoader.deleteFolder(batch);
                        deleted++;
                    }
                }
            }
        }
        return deleted;
    }

    private static boolean olderThan(Path path, Instant before) {
        try {
            return Files.getLastModifiedTime(path).toInstant().isBefore(before);
        } catch (IOException e) {
            return false;
        }
    }

    private ParquetFiles files() {
        if (files == null) {
            files = new ParquetFiles(config.loader().memoryLimit());
        }
        return files;
    }

    @PreDestroy
    synchronized void close() {
        if (files != null) {
            files.close();
        }
    }
}
