package io.atelier.pipeline.lake;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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

    /**
     * A file of the lake as the manifest lists it. {@code hours} are its rows per hour and topic when it is recorded
     * (null as read back: they stay in lake_file_hour; also null for a file recorded without them).
     */
    public record Entry(String path, String tempPath, LocalDate day, String type, long rows, long bytes, String state,
            List<HourCount> hours) {

        public Entry(String path, String tempPath, LocalDate day, String type, long rows, long bytes, String state) {
            this(path, tempPath, day, type, rows, bytes, state, null);
        }
    }

    /** Rows of one file in one hour (UTC, truncated occurred_at) and topic. */
    public record HourCount(LocalDateTime hour, String topic, long rows) {
    }

    /** One point of a series summed from the hour counts: the bucket's start, the group's value (or null), rows. */
    public record BucketCount(Instant bucket, String group, long rows) {
    }

    /** What the hour counts can group by: a file's type (its partition) or a row's topic. */
    public enum HourGroup {
        // Byte-wise order, as DuckDB orders the same groups.
        NONE("NULL::text"), TYPE("f.type COLLATE \"C\""), TOPIC("h.topic COLLATE \"C\"");

        final String sql;

        HourGroup(String sql) {
            this.sql = sql;
        }
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
                + "type, rows, bytes, state, hours_counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement hours = connection.prepareStatement("INSERT INTO lake_file_hour (lake, path, hour, topic, rows) "
                        + "VALUES (?, ?, ?, ?, ?)")) {
            for (Entry file : files) {
                insert.setString(1, lake);
                insert.setString(2, file.path());
                insert.setString(3, file.tempPath());
                insert.setDate(4, Date.valueOf(file.day()));
                insert.setString(5, file.type());
                insert.setLong(6, file.rows());
                insert.setLong(7, file.bytes());
                insert.setString(8, file.state());
                insert.setBoolean(9, file.hours() != null);
                insert.addBatch();
                if (file.hours() != null) {
                    if (file.hours().stream().mapToLong(HourCount::rows).sum() != file.rows()) {
                        throw new IllegalArgumentException("the hour counts of " + file.path() + " do not add up to its rows");
                    }
                    for (HourCount hour : file.hours()) {
                        hours.setString(1, lake);
                        hours.setString(2, file.path());
                        hours.setObject(3, hour.hour());
                        hours.setString(4, hour.topic());
                        hours.setLong(5, hour.rows());
                        hours.addBatch();
                    }
                }
            }
            insert.executeBatch();
            hours.executeBatch(); // after the files: the hours reference them
        }
    }

    /**
     * A counts series from the hour counts of the live files of days {@code firstDay..lastDay}: rows with occurred_at in
     * [{@code from}, {@code to}) (whole hours), of {@code topic}, of {@code type} when not null, per {@code unit}
     * (hour, day, week or month, as DuckDB's date_trunc) and group, ordered by bucket and group, at most {@code limit}
     * points. Empty when some live file of those days has no hour counts: the caller then reads the files.
     */
    public java.util.Optional<List<BucketCount>> countsFromHours(String lake, LocalDate firstDay, LocalDate lastDay,
            LocalDateTime from, LocalDateTime to, String unit, String topic, String type, HourGroup group, int limit)
            throws SQLException {
        if (!Set.of("hour", "day", "week", "month").contains(unit)) {
            throw new IllegalArgumentException("not a unit of the hour counts: " + unit);
        }
        try (Connection connection = dataSource.getConnection()) {
            // One snapshot for the check and the sum: compaction may swap files in between.
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                try (PreparedStatement check = connection.prepareStatement("SELECT count(*) FROM lake_file WHERE lake = ? "
                        + "AND state = 'live' AND day BETWEEN ? AND ? AND NOT hours_counted")) {
                    check.setString(1, lake);
                    check.setDate(2, Date.valueOf(firstDay));
                    check.setDate(3, Date.valueOf(lastDay));
                    try (ResultSet result = check.executeQuery()) {
                        result.next();
                        if (result.getLong(1) > 0) {
                            return java.util.Optional.empty();
                        }
                    }
                }
                // unit and group are constants of this class; every other value is bound.
                String sql = "SELECT (extract(epoch FROM date_trunc('" + unit + "', h.hour)) * 1000)::bigint AS bucket, "
                        + group.sql + " AS grp, sum(h.rows)::bigint AS n FROM lake_file f JOIN lake_file_hour h "
                        + "ON h.lake = f.lake AND h.path = f.path WHERE f.lake = ? AND f.state = 'live' AND f.day BETWEEN ? AND ? "
                        + "AND h.hour >= ? AND h.hour < ? AND h.topic = ?" + (type == null ? "" : " AND f.type = ?")
                        + " GROUP BY bucket, grp ORDER BY bucket, grp LIMIT ?";
                List<BucketCount> counts = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    int i = 1;
                    select.setString(i++, lake);
                    select.setDate(i++, Date.valueOf(firstDay));
                    select.setDate(i++, Date.valueOf(lastDay));
                    select.setObject(i++, from);
                    select.setObject(i++, to);
                    select.setString(i++, topic);
                    if (type != null) {
                        select.setString(i++, type);
                    }
                    select.setInt(i, limit);
                    try (ResultSet result = select.executeQuery()) {
                        while (result.next()) {
                            counts.add(new BucketCount(Instant.ofEpochMilli(result.getLong(1)), result.getString(2),
                                    result.getLong(3)));
                        }
                    }
                }
                return java.util.Optional.of(counts);
            } finally {
                connection.rollback();
            }
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
