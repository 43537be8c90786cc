package io.atelier.platform.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/** Writes replicated users; the only writer of {@code atelier_user}. */
@ApplicationScoped
class UserReplicaWriter {

    // The row keeps the newest state whatever the order events arrive in (a replay, a redelivery after
    // the dedupe window): an event older than the row changes nothing. On a tie the later event wins,
    // which is the partition's order, so a replay ends where the first delivery ended.
    private static final String UPSERT = """
            INSERT INTO atelier_user AS u (id, email, display_name, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE
              SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
              WHERE u.updated_at <= EXCLUDED.updated_at""";

    private final AgroalDataSource dataSource;

    UserReplicaWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return whether the row now holds this state; false when it already held a newer one */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean upsert(ReplicatedUser user) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setObject(1, user.id());
            upsert.setString(2, user.email());
            upsert.setString(3, user.displayName());
            upsert.setObject(4, OffsetDateTime.ofInstant(user.updatedAt(), ZoneOffset.UTC));
            return upsert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new UserReplicaException("could not store user " + user.id(), e);
        }
    }
}
