package io.atelier.jobs.worker;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.atelier.jobs.store.JobStore;
import io.atelier.jobs.store.Wakeups;
import io.atelier.platform.events.Backoff;
import io.quarkus.logging.Log;

/**
 * LISTENs on {@link JobStore#CHANNEL} over a connection of its own (outside the pool: it is held for the
 * worker's life) and wakes the worker on every notification, so an idle worker starts a submitted job at
 * once rather than at its next poll. When PostgreSQL is away it reconnects with backoff; the poll covers
 * the gap.
 */
final class NotifyListener implements Runnable {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final int WAIT_MILLIS = 500;

    private final String url;
    private final String user;
    private final Optional<String> password;
    private final Wakeups wakeups;
    private volatile boolean stopped;
    private volatile Connection connection;

    NotifyListener(String url, String user, Optional<String> password, Wakeups wakeups) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.wakeups = wakeups;
    }

    @Override
    public void run() {
        Duration backoff = Duration.ZERO;
        while (!stopped) {
            try (Connection listening = connect()) {
                connection = listening;
                try (Statement listen = listening.createStatement()) {
                    listen.execute("LISTEN " + JobStore.CHANNEL);
                }
                backoff = Duration.ZERO;
                wakeups.wake(); // anything submitted while not listening
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        wakeups.wake();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                backoff = Backoff.next(backoff, MAX_BACKOFF);
                Log.warnf("job notifications: %s; listening again in %d ms (polling meanwhile)", e.getMessage(),
                        backoff.toMillis());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
            } finally {
                connection = null;
            }
        }
    }

    void stop() {
        stopped = true;
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                // closing on the way out
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", "job-worker listener");
        properties.setProperty("tcpKeepAlive", "true");
        Connection opened = new org.postgresql.Driver().connect(url, properties);
        if (opened == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        return opened;
    }
}
