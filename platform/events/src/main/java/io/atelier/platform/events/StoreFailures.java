package io.atelier.platform.events;

import java.sql.SQLException;

/**
 * Tells a failure that is the event's own from one that goes away. PostgreSQL refuses some values for
 * good (SQLSTATE class 22, data exception, e.g. a time out of range; class 23, integrity constraint
 * violation): retrying such an event would hold the partition forever. Anything else (no connection,
 * a timeout, a missing privilege or table, a serialisation failure) is the database's state, and the
 * event is retried until it is stored.
 */
public final class StoreFailures {

    private static final int MAX_DEPTH = 16;

    private StoreFailures() {
    }

    public static boolean isPermanent(Throwable failure) {
        String state = sqlState(failure);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
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
