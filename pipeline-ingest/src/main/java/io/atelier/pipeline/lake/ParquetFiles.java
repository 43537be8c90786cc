package io.atelier.pipeline.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes lake rows as Parquet (zstd, which Spark, Trino and parquet-mr read, smaller than DuckDB's default snappy)
 * through an in-process DuckDB (its Parquet writer is built in; nothing is installed or
 * loaded at run time). One instance per thread that writes: a DuckDB connection is not shared.
 */
public final class ParquetFiles implements AutoCloseable {

    /** The columns of every lake file, in order (the partition columns {@code date} and {@code type} are in the path). */
    public static final String COLUMNS = "event_id VARCHAR, topic VARCHAR, occurred_at TIMESTAMP, received_at TIMESTAMP, "
            + "user_id VARCHAR, source VARCHAR, subject VARCHAR, display_name VARCHAR, payload VARCHAR, "
            + "kafka_partition INTEGER, kafka_offset BIGINT";
    private static final String FILE_COLUMNS = "event_id, topic, occurred_at, received_at, user_id, source, subject, "
            + "display_name, payload, kafka_partition, kafka_offset";

    /** A file written under its temporary name, with its rows per hour and topic (counted from the file itself). */
    public record Written(Path file, LocalDate day, String type, long rows, long bytes, List<Manifest.HourCount> hours) {
    }

    private final DuckDBConnection connection;

    /** With DuckDB's default threads (one per core). */
    public ParquetFiles(String memoryLimit) {
        this(memoryLimit, 0);
    }

    /** With {@code threads} DuckDB threads ({@code 0}: DuckDB's default). */
    public ParquetFiles(String memoryLimit, int threads) {
        try {
            Properties settings = new Properties();
            settings.setProperty("memory_limit", memoryLimit);
            if (threads > 0) {
                settings.setProperty("threads", Integer.toString(threads));
            }
            // Only the lake's own files are ever read or written, and nothing is downloaded.
            settings.setProperty("autoinstall_known_extensions", "false");
            settings.setProperty("autoload_known_extensions", "false");
            connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", settings);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE batch (" + COLUMNS + ", date DATE, type VARCHAR)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB did not start", e);
        }
    }

    /**
     * Writes rows into {@code folder} as {@code date=.../type=.../<prefix>_<n>.parquet}, one or more files per
     * partition, each sorted by {@code occurred_at}. zstd level 1: a third faster than DuckDB's default level for a
     * batch, and no bigger on the benchmark's rows; compaction rewrites small files at the default level anyway.
     */
    public List<Written> write(List<LakeRow> rows, Path folder, String prefix) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM batch");
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "batch")) {
                for (LakeRow row : rows) {
                    appender.beginRow();
                    appender.append(row.eventId());
                    appender.append(row.topic());
                    // Times as microseconds, the day as days, the payload as its UTF-8 bytes: what DuckDB stores,
                    // without a LocalDateTime, LocalDate or String per row.
                    appender.appendEpochMicros(row.occurredMicros());
                    appender.appendEpochMicros(row.receivedMicros());
                    appendNullable(appender, row.userId());
                    appendNullable(appender, row.source());
                    appendNullable(appender, row.subject());
                    appendNullable(appender, row.displayName());
                    appender.append(row.payload()); // null appends NULL
                    appender.append(row.partition());
                    appender.append(row.offset());
                    appender.appendEpochDays(row.epochDay());
                    appender.append(row.type());
                    appender.endRow();
                }
            }
            statement.execute("COPY (SELECT " + FILE_COLUMNS + ", date, type FROM batch ORDER BY date, type, occurred_at) TO "
                    + LakeFolder.sqlLiteral(folder) + " (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARTITION_BY (date, type), "
                    + "OVERWRITE_OR_IGNORE, "
                    + "FILENAME_PATTERN '" + prefix + "_{i}')");
        }
        return describe(folder);
    }

    /** Rewrites several files of one partition as one (compaction); the rows are the same, sorted by time. */
    public Written merge(List<Path> inputs, Path output, LocalDate day, String type) throws SQLException {
        StringBuilder list = new StringBuilder();
        for (Path input : inputs) {
            list.append(list.isEmpty() ? "" : ", ").append(LakeFolder.sqlLiteral(input));
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT " + FILE_COLUMNS + " FROM read_parquet([" + list
                    + "], hive_partitioning = false) ORDER BY occurred_at) TO " + LakeFolder.sqlLiteral(output)
                    + " (FORMAT parquet, COMPRESSION zstd)");
        }
        List<Manifest.HourCount> hours = hours(output);
        return new Written(output, day, type, total(hours), size(output), hours);
    }

    /**
     * A file's rows per hour of occurred_at and topic, read back from the file (not from the rows handed in), so the
     * counts the manifest keeps are those of the file as written.
     */
    public List<Manifest.HourCount> hours(Path file) throws SQLException {
        List<Manifest.HourCount> hours = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT date_trunc('hour', occurred_at) AS hour, topic, count(*) "
                        + "FROM read_parquet(" + LakeFolder.sqlLiteral(file) + ", hive_partitioning = false) "
                        + "GROUP BY hour, topic ORDER BY hour, topic")) {
            while (result.next()) {
                hours.add(new Manifest.HourCount(result.getObject(1, LocalDateTime.class), result.getString(2),
                        result.getLong(3)));
            }
        }
        return hours;
    }

    private static long total(List<Manifest.HourCount> hours) {
        return hours.stream().mapToLong(Manifest.HourCount::rows).sum();
    }

    /** Rows of one Parquet file, from its footer. */
    public long rowCount(Path file) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM read_parquet(" + LakeFolder.sqlLiteral(file)
                        + ", hive_partitioning = false)")) {
            result.next();
            return result.getLong(1);
        }
    }

    private List<Written> describe(Path folder) throws SQLException {
        List<Written> written = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return written;
        }
        List<Path> files;
        try (Stream<Path> found = Files.find(folder, 3, (p, a) -> a.isRegularFile() && p.toString().endsWith(".parquet"))) {
            files = found.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String dateFolder = file.getParent().getParent().getFileName().toString();
            String typeFolder = file.getParent().getFileName().toString();
            if (!dateFolder.startsWith("date=") || !typeFolder.startsWith("type=")) {
                throw new IllegalStateException("unexpected partition folder for " + file);
            }
            List<Manifest.HourCount> hours = hours(file);
            written.add(new Written(file, LocalDate.parse(dateFolder.substring(5)), typeFolder.substring(5), total(hours),
                    size(file), hours));
        }
        return written;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void appendNullable(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing at shutdown
        }
    }
}
