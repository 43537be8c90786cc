package io.atelier.platform.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/** {@code atelier_idempotency} in the service's schema, in the caller's transaction. */
@ApplicationScoped
class IdempotencyStore {

    private static final String CLAIM = """
            INSERT INTO atelier_idempotency (scope, idem_key, fingerprint, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String FIND = """
            SELECT fingerprint, status, body, location FROM atelier_idempotency WHERE scope = ? AND idem_key = ?""";
    private static final String COMPLETE = """
            UPDATE atelier_idempotency SET status = ?, body = ?, location = ? WHERE scope = ? AND idem_key = ?""";
    private static final String SWEEP = """
            DELETE FROM atelier_idempotency WHERE ctid IN (
                SELECT ctid FROM atelier_idempotency WHERE created_at < ? LIMIT ?)""";

    private final AgroalDataSource dataSource;
    private final Clock clock;

    IdempotencyStore(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Binds the key to this request, or finds what it is bound to. A concurrent claim of the same key
     * waits here until the first transaction ends (PostgreSQL's unique index), then sees its answer, or
     * claims the key itself if the first rolled back.
     *
     * @return empty when this request now holds the key; else the answer stored for it
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<StoredAnswer> claim(String scope, String key, String fingerprint) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(CLAIM)) {
                insert.setString(1, scope);
                insert.setString(2, key);
                insert.setString(3, fingerprint);
                insert.setTimestamp(4, Timestamp.from(clock.instant()));
                if (insert.executeUpdate() == 1) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement find = c.prepareStatement(FIND)) {
                find.setString(1, scope);
                find.setString(2, key);
                try (ResultSet row = find.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("idempotency key vanished while claimed");
                    }
                    return Optional.of(new StoredAnswer(row.getString(1), row.getInt(2), row.getString(3), row.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim an idempotency key", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void complete(String scope, String key, int status, String body, String location) {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(COMPLETE)) {
            update.setInt(1, status);
            update.setString(2, body);
            update.setString(3, location);
            update.setString(4, scope);
            update.setString(5, key);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store an idempotent answer", e);
        }
    }

    /** Deletes up to {@code chunk} keys created before {@code cutoff}; returns how many. */
    @Transactional
    int sweep(java.time.Instant cutoff, int chunk) {
        try (Connection c = dataSource.getConnection(); PreparedStatement delete = c.prepareStatement(SWEEP)) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            delete.setInt(2, chunk);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not sweep idempotency keys", e);
        }
    }
}
