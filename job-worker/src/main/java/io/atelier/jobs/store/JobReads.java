package io.atelier.jobs.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

/** The read side: one statement per answer, no transaction (as workspace-service's ProjectReads). */
@ApplicationScoped
public class JobReads {

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    JobReads(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The job when {@code userId} owns it. */
    public Optional<JobRow> find(UUID id, UUID userId) {
        return query("SELECT " + Rows.COLUMNS + " FROM job WHERE id = ? AND user_id = ?", List.of(id, userId))
                .stream().findFirst();
    }

    /**
     * Up to {@code limit} of the user's jobs created before the cursor's ({@code createdAt}, id), newest first,
     * optionally of one status and one type.
     */
    public List<JobRow> page(UUID userId, JobStatus status, String type, Instant afterAt, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + Rows.COLUMNS + " FROM job WHERE user_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(userId));
        if (status != null) {
            sql.append(" AND status = ?");
            parameters.add(status.name());
        }
        if (type != null) {
            sql.append(" AND type = ?");
            parameters.add(type);
        }
        if (afterAt != null) {
            sql.append(" AND (created_at, id) < (?, ?)");
            parameters.add(OffsetDateTime.ofInstant(afterAt, ZoneOffset.UTC));
            parameters.add(afterId);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        parameters.add(limit);
        return query(sql.toString(), parameters);
    }

    private List<JobRow> query(String sql, List<Object> parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                return Rows.read(rows, json);
            }
        } catch (SQLException e) {
            throw new JobStoreException("could not read jobs", e);
        }
    }
}
