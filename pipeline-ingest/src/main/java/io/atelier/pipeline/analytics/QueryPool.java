package io.atelier.pipeline.analytics;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.duckdb.DuckDBConnection;

/**
 * A bounded pool of connections to one in-process DuckDB database that reads the lake's Parquet files. Every query is
 * a prepared statement with bound parameters; one still running after its budget is cancelled.
 */
public final class QueryPool implements AutoCloseable {

    /** Reads a result set into an answer. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet result) throws SQLException;
    }

    /** The query ran past its budget and was cancelled. */
    public static final class TooSlow extends Exception {
        public TooSlow(Duration budget) {
            super("cancelled after " + budget, null, false, false);
        }
    }

    /** No connection became free in time. */
    public static final class Saturated extends Exception {
        public Saturated() {
            super("every query connection is busy", null, false, false);
        }
    }

    private final DuckDBConnection database;
    private final BlockingQueue<Connection> idle;
    private final Duration wait;
    private final ScheduledExecutorService canceller;

    public QueryPool(int connections, int threads, String memoryLimit, Duration wait) {
        try {
            Properties settings = new Properties();
            settings.setProperty("threads", Integer.toString(threads));
            settings.setProperty("memory_limit", memoryLimit);
            settings.setProperty("autoinstall_known_extensions", "false");
            settings.setProperty("autoload_known_extensions", "false");
            database = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", settings);
            try (Statement statement = database.createStatement()) {
                // Nothing a query sends may change the settings above (defence in depth: queries are built here).
                statement.execute("SET lock_configuration = true");
            }
            idle = new ArrayBlockingQueue<>(connections);
            for (int i = 0; i < connections; i++) {
                idle.add(database.duplicate());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB did not start", e);
        }
        this.wait = wait;
        this.canceller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("query-canceller")
                .daemon().unstarted(r));
    }

    /** Runs one query with its parameters bound in order; cancels it after {@code budget}. */
    public <T> T query(String sql, List<Object> parameters, Duration budget, Reader<T> reader)
            throws SQLException, TooSlow, Saturated {
        Connection connection;
        try {
            connection = idle.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Saturated();
        }
        if (connection == null) {
            throw new Saturated();
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            AtomicBoolean cancelled = new AtomicBoolean();
            ScheduledFuture<?> timer = canceller.schedule(() -> {
                cancelled.set(true);
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    // finished meanwhile
                }
            }, budget.toMillis(), TimeUnit.MILLISECONDS);
            try (ResultSet result = statement.executeQuery()) {
                T answer = reader.read(result);
                if (cancelled.get()) {
                    throw new TooSlow(budget);
                }
                return answer;
            } catch (SQLException e) {
                if (cancelled.get()) {
                    throw new TooSlow(budget);
                }
                throw e;
            } finally {
                timer.cancel(false);
            }
        } finally {
            idle.add(connection);
        }
    }

    @Override
    public void close() {
        canceller.shutdownNow();
        Connection connection;
        while ((connection = idle.poll()) != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing
            }
        }
        try {
            database.close();
        } catch (SQLException e) {
            // closing
        }
    }
}
