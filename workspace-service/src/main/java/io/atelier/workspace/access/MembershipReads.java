package io.atelier.workspace.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/** A project's members and roles in one plain SELECT, for filling the membership cache (no ORM session needed). */
@ApplicationScoped
class MembershipReads {

    private final AgroalDataSource dataSource;

    MembershipReads(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    Map<UUID, String> roles(UUID projectId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT user_id, role FROM member WHERE project_id = ?")) {
            select.setObject(1, projectId);
            Map<UUID, String> roles = new HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    roles.put(rows.getObject(1, UUID.class), rows.getString(2));
                }
            }
            return roles;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the members of a project", e);
        }
    }
}
