package io.atelier.platform.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Reads the local users replica: names and emails of auth-service's users, as of the last event applied.
 * A user auth-service has but whose event has not arrived yet is simply not found. Plain JDBC on the
 * service's datasource; inside a transaction it reads with that transaction's connection.
 */
@ApplicationScoped
public class UserDirectory {

    /** The most ids {@link #findAll} takes in one call. */
    public static final int MAX_IDS = 1_000;

    private static final String COLUMNS = "SELECT id, email, display_name, updated_at FROM atelier_user ";
    private static final String BY_ID = COLUMNS + "WHERE id = ?";
    // An email can sit on two rows for a moment (see the migration): the newer state is the answer.
    private static final String BY_EMAIL = COLUMNS + "WHERE email = ? ORDER BY updated_at DESC LIMIT 1";
    private static final String BY_IDS = COLUMNS + "WHERE id = ANY (?)";

    private final AgroalDataSource dataSource;

    UserDirectory(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<ReplicatedUser> find(UUID id) {
        Objects.requireNonNull(id, "id");
        return one(BY_ID, id);
    }

    /** By email as auth-service compares them: trimmed and lower-cased. A blank email finds nobody. */
    public Optional<ReplicatedUser> findByEmail(String email) {
        Objects.requireNonNull(email, "email");
        String normalized = Emails.normalize(email);
        return normalized.isEmpty() ? Optional.empty() : one(BY_EMAIL, normalized);
    }

    /**
     * The known users among {@code ids}, in one query; unknown ids are absent from the map.
     *
     * @throws IllegalArgumentException for more than {@value #MAX_IDS} ids: callers page their own lists
     */
    public Map<UUID, ReplicatedUser> findAll(Collection<UUID> ids) {
        if (ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("at most " + MAX_IDS + " ids per call, got " + ids.size());
        }
        if (ids.isEmpty()) {
            return Map.of();
        }
        UUID[] array = ids.stream().map(id -> Objects.requireNonNull(id, "id")).distinct().toArray(UUID[]::new);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(BY_IDS)) {
            select.setArray(1, connection.createArrayOf("uuid", array));
            Map<UUID, ReplicatedUser> users = new HashMap<>(array.length * 2);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ReplicatedUser user = user(rs);
                    users.put(user.id(), user);
                }
            }
            return Map.copyOf(users);
        } catch (SQLException e) {
            throw new UserReplicaException("could not read " + array.length + " users", e);
        }
    }

    private Optional<ReplicatedUser> one(String sql, Object key) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UserReplicaException("could not read a user", e);
        }
    }

    private static ReplicatedUser user(ResultSet rs) throws SQLException {
        return new ReplicatedUser(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("display_name"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
