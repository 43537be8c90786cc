package io.atelier.workspace.project;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.web.PageCursor;
import io.atelier.workspace.access.Role;

/**
 * The read side of projects: one SQL statement per answer, rows mapped straight to the API's records,
 * no ORM session and no JTA transaction (as content-service's PostReads). Writes stay with the entity.
 */
@ApplicationScoped
public class ProjectReads {

    private static final String SELECT = """
            SELECT p.id, p.name, p.description, m.role, m.joined_at, p.created_at, p.updated_at
            FROM member m JOIN project p ON p.id = m.project_id
            WHERE m.user_id = ?""";

    private final AgroalDataSource dataSource;

    ProjectReads(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Up to {@code limit} of the user's projects after {@code cursor}, most recently joined first. */
    public List<ProjectView> page(UUID userId, PageCursor cursor, int limit) {
        List<Object> parameters = new ArrayList<>(List.of(userId));
        StringBuilder sql = new StringBuilder(SELECT);
        if (cursor != null) {
            sql.append(" AND (m.joined_at, m.project_id) < (?, ?)");
            parameters.add(Timestamp.from(cursor.at()));
            parameters.add(cursor.id());
        }
        sql.append(" ORDER BY m.joined_at DESC, m.project_id DESC LIMIT ?");
        parameters.add(limit);
        return query(sql.toString(), parameters);
    }

    /** The project as {@code userId} sees it; empty when it does not exist or the user is no member. */
    public Optional<ProjectView> find(UUID projectId, UUID userId) {
        return query(SELECT + " AND m.project_id = ?", List.of(userId, projectId)).stream().findFirst();
    }

    private List<ProjectView> query(String sql, List<Object> parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<ProjectView> projects = new ArrayList<>();
                while (rows.next()) {
                    projects.add(new ProjectView(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            Role.valueOf(rows.getString(4)), rows.getObject(5, OffsetDateTime.class).toInstant(),
                            rows.getObject(6, OffsetDateTime.class).toInstant(),
                            rows.getObject(7, OffsetDateTime.class).toInstant()));
                }
                return projects;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read projects", e);
        }
    }
}
