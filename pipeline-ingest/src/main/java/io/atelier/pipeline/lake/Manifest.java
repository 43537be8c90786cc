package io.atelier.pipeline.lake;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;

/**
 * The lake's manifest in PostgreSQL (schema analytics, V1_13): the Kafka offsets the lake holds and its files. A
 * batch's files and its offsets are committed in one transaction: that transaction is the moment a batch is in the
 * lake (docs/pipeline.md, "Exactly once").
 */
@ApplicationScoped
public class Manifest {

    /** A file of the lake as the manifest lists it. */
    public record Entry(String path, String tempPath, LocalDate day, String type, long rows, long bytes, String state) {
    }

    /**
     * Where a batch starts and ends in one partition: {@code expected} is the offset the manifest held when the
     * partition was assigned or last committed (null when it held none), {@code next} the offset after the batch.
     */
    public record Range(Long expected, long next) {
    }

    private final DataSource dataSource;

    public Manifest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<TopicPartition, Long> offsets(String lake, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT topic, partition, next_offset FROM lake_offset WHERE lake = ?")) {
            select.setString(1, lake);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    TopicPartition partition = new TopicPartition(rows.getString(1), rows.getInt(2));
                    if (partitions.contains(partition)) {
                        offsets.put(partition, rows.getLong(3));
                    }
                }
            }
        }
        return offsets;
    }

    /**
     * Records a batch: its files (state pending, under their temporary names) and its offsets, all or nothing. Each
     * partition's offset moves only from the value the batch started at; when another loader moved it meanwhile
     * (this one lost the partition in a rebalance), nothing is recorded and false is returned.
     */
    public boolean commitBatch(String lake, Map<TopicPartition, Range> ranges, List<Entry> files) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Map.Entry<TopicPartition, Range> range : ranges.entrySet()) {
                    if (!moveOffset(connection, lake, range.getKey(), range.getValue())) {
                        connection.rollback();
                        return false;
                    }
                }
                insert(connection, lake, files);
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean moveOffset(Connection connection, String lake, TopicPartition partition, Range range)
            throws SQLException {
        if (range.expected() == null) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lake_offset (lake, topic, partition, "
                    + "next_offset) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, lake);
                insert.setString(2, partition.topic());
                insert.setInt(3, partition.partition());
                insert.setLong(4, range.next());
                return insert.executeUpdate() == 1;
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE lake_offset SET next_offset = ?, updated_at = "
                + "now() WHERE lake = ? AND topic = ? AND partition = ? AND next_offset = ?")) {
            update.setLong(1, range.next());
            update.setString(2, lake);
            update.setString(3, partition.topic());
            update.setInt(4, partition.partition());
            update.setLong(5, range.expected());
            return update.executeUpdate() == 1;
        }
    }

    private static void insert(Connection connection, String lake, List<Entry> files) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lake_file (lake, path, temp_path, day, "
                + "type, rows, bytes, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry file : files) {
                insert.setString(1, lake);
                insert.setString(2, file.path());
                insert.setString(3, file.tempPath());
                insert.setDate(4, Date.valueOf(file.day()));
                insert.setString(5, file.type());
                insert.setLong(6, file.rows());
                insert.setLong(7, file.bytes());
                insert.setString(8, file.state());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Files committed but not yet known to be under their final names (after a crash, or right now). */
    public List<Entry> pending(String lake) throws SQLException {
        return select("SELECT path, temp_path, day, type, rows, bytes, state FROM lake_file WHERE lake = ? AND state = "
                + "'pending' ORDER BY path", lake);
    }

    public void markLive(String lake, Collection<String> paths) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE lake_file SET state = 'live', temp_path = "
                        + "NULL WHERE lake = ? AND path = ANY (?) AND state = 'pending'")) {
            update.setString(1, lake);
            update.setArray(2, connection.createArrayOf("text", paths.toArray()));
            update.executeUpdate();
        }
    }

    /** The live files of days {@code from..to} (inclusive), of the given types (all when null). */
    public List<Entry> live(String lake, LocalDate from, LocalDate to, Collection<String> types) throws SQLException {
        String sql = "SELECT path, temp_path, day, type, rows, bytes, state FROM lake_file WHERE lake = ? AND state = "
                + "'live' AND day BETWEEN ? AND ?" + (types == null ? "" : " AND type = ANY (?)") + " ORDER BY day, type, path";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, lake);
            select.setDate(2, Date.valueOf(from));
            select.setDate(3, Date.valueOf(to));
            if (types != null) {
                select.setArray(4, connection.createArrayOf("text", types.toArray()));
            }
            return read(select);
        }
    }

    public List<Entry> live(String lake) throws SQLException {
        return select("SELECT path, temp_path, day, type, rows, bytes, state FROM lake_file WHERE lake = ? AND state = "
                + "'live' ORDER BY day, type, path", lake);
    }

    /**
     * Compaction's switch, all or nothing: the merged file becomes live and the files it replaces removed. False when
     * any of them is no longer live (retention took it), and nothing changes.
     */
    public boolean replace(String lake, Collection<String> replaced, Entry merged) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement remove = connection.prepareStatement("UPDATE lake_file SET state = 'removed', "
                    + "removed_at = now() WHERE lake = ? AND path = ANY (?) AND state = 'live'")) {
                remove.setString(1, lake);
                remove.setArray(2, connection.createArrayOf("text", replaced.toArray()));
                if (remove.executeUpdate() != replaced.size()) {
                    connection.rollback();
                    return false;
                }
                insert(connection, lake, List.of(merged));
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Retention: every live file of {@code type} from a day before {@code before} is removed; returns how many. */
    public int expire(String lake, String type, LocalDate before) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE lake_file SET state = 'removed', removed_at "
                        + "= now() WHERE lake = ? AND type = ? AND day < ? AND state = 'live'")) {
            update.setString(1, lake);
            update.setString(2, type);
            update.setDate(3, Date.valueOf(before));
            return update.executeUpdate();
        }
    }

    /** Removed files whose grace ended: their files may be deleted, then their rows. */
    public List<Entry> removedBefore(String lake, Instant before) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT path, temp_path, day, type, rows, bytes, "
                        + "state FROM lake_file WHERE lake = ? AND state = 'removed' AND removed_at < ?")) {
            select.setString(1, lake);
            select.setObject(2, java.sql.Timestamp.from(before));
            return read(select);
        }
    }

    public void forget(String lake, Collection<String> paths) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM lake_file WHERE lake = ? AND path = "
                        + "ANY (?) AND state = 'removed'")) {
            delete.setString(1, lake);
            delete.setArray(2, connection.createArrayOf("text", paths.toArray()));
            delete.executeUpdate();
        }
    }

    /** Every path and temporary path the manifest names, in any state. */
    public Set<String> known(String lake) throws SQLException {
        Set<String> known = new HashSet<>();
        for (Entry entry : select("SELECT path, temp_path, day, type, rows, bytes, state FROM lake_file WHERE lake = ?", lake)) {
            known.add(entry.path());
            if (entry.tempPath() != null) {
                known.add(entry.tempPath());
            }
        }
        return known;
    }

    /**
     * Runs {@code work} while holding the lake's maintenance lock (a PostgreSQL session advisory lock), or not at all
     * when another replica holds it. Returns whether it ran.
     */
    public boolean withMaintenanceLock(String lake, SqlWork work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext('analytics.lake:' || ?))")) {
                lock.setString(1, lake);
                try (ResultSet result = lock.executeQuery()) {
                    result.next();
                    if (!result.getBoolean(1)) {
                        return false;
                    }
                }
            }
            try {
                work.run();
                return true;
            } finally {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext('analytics.lake:' || ?))")) {
                    unlock.setString(1, lake);
                    unlock.execute();
                }
            }
        }
    }

    @FunctionalInterface
    public interface SqlWork {
        void run() throws Exception;
    }

    private List<Entry> select(String sql, String lake) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, lake);
            return read(select);
        }
    }

    private static List<Entry> read(PreparedStatement select) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                entries.add(new Entry(rows.getString(1), rows.getString(2), rows.getDate(3).toLocalDate(), rows.getString(4),
                        rows.getLong(5), rows.getLong(6), rows.getString(7)));
            }
        }
        return entries;
    }

}
