package io.atelier.workspace.member;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.web.PageCursor;
import io.atelier.workspace.access.Role;

/** A project's members with their names from the users replica, in one SQL statement per page. */
@ApplicationScoped
class MemberReads {

    private final AgroalDataSource dataSource;

    MemberReads(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Up to {@code limit} members after {@code cursor}, most recently joined first. */
    List<MemberView> page(UUID projectId, PageCursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT m.user_id, u.display_name, u.email, m.role, m.joined_at
                FROM member m LEFT JOIN atelier_user u ON u.id = m.user_id
                WHERE m.project_id = ?""");
        List<Object> parameters = new ArrayList<>(List.of(projectId));
        if (cursor != null) {
            sql.append(" AND (m.joined_at, m.user_id) < (?, ?)");
            parameters.add(Timestamp.from(cursor.at()));
            parameters.add(cursor.id());
        }
        sql.append(" ORDER BY m.joined_at DESC, m.user_id DESC LIMIT ?");
        parameters.add(limit);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<MemberView> members = new ArrayList<>();
                while (rows.next()) {
                    members.add(new MemberView(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            Role.valueOf(rows.getString(4)), rows.getObject(5, OffsetDateTime.class).toInstant()));
                }
                return members;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read members", e);
        }
    }
}
