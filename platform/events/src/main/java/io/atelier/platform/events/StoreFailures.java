package io.atelier.platform.events;

import java.sql.SQLException;
import java.time.DateTimeException;

/**
 * Tells a failure that is the event's own from one that goes away. PostgreSQL refuses some values for
 * good (SQLSTATE class 22, data exception, e.g. a time out of range; class 23, integrity constraint
 * violation): retrying such an event would hold the partition forever. Anything else (no connection,
 * a timeout, a missing privilege or table, a serialisation failure) is the database's state, and the
 * event is retried until it is stored. A failure before the database, from a value the record lacks or cannot
 * hold, is the record's own too ({@link #isTheRecordsOwn}).
 */
public final class StoreFailures {

    private static final int MAX_DEPTH = 16;

    private StoreFailures() {
    }

    public static boolean isPermanent(Throwable failure) {
        String state = sqlState(failure);
        if (state != null) {
            return state.startsWith("22") || state.startsWith("23");
        }
        return isTheRecordsOwn(failure);
    }

    /**
     * A value the record lacks or cannot hold, found before any database was asked: a missing field (null),
     * an argument out of range, a time that cannot be read. No outage of PostgreSQL, Redis or Kafka throws these,
     * so retrying cannot help; holding the record would stop every record behind it on its partition.
     */
    public static boolean isTheRecordsOwn(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return false;
            }
            if (cause instanceof NullPointerException || cause instanceof IllegalArgumentException
                    || cause instanceof DateTimeException) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of the first SQL exception among the causes; null when there is none. */
    public static String sqlState(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
