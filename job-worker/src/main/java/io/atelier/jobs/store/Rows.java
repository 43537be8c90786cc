package io.atelier.jobs.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.jobs.JobError;

/** Column lists and the mapping of {@code job} rows, shared by the store and the reads. */
final class Rows {

    static final String COLUMNS = """
            id, user_id, project_id, type, payload, status, priority, run_at, attempts, max_attempts, last_error,
            errors, result, lease_owner, lease_until, created_at, started_at, finished_at""";

    private static final TypeReference<List<JobError>> ERRORS = new TypeReference<>() {
    };

    private Rows() {
    }

    /** {@link #COLUMNS} with each name qualified by {@code table}. */
    static String qualified(String table) {
        return java.util.Arrays.stream(COLUMNS.split(","))
                .map(column -> table + "." + column.strip())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static List<JobRow> read(ResultSet rows, ObjectMapper json) throws SQLException {
        return read(rows, json, null);
    }

    /** @param extra when not null, receives each row's column after {@link #COLUMNS}, as text */
    static List<JobRow> read(ResultSet rows, ObjectMapper json, List<String> extra) throws SQLException {
        List<JobRow> jobs = new ArrayList<>();
        while (rows.next()) {
            if (extra != null) {
                extra.add(rows.getString(19));
            }
            jobs.add(new JobRow(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                    rows.getObject(3, UUID.class), rows.getString(4), tree(json, rows.getString(5)),
                    JobStatus.valueOf(rows.getString(6)), rows.getInt(7), instant(rows, 8), rows.getInt(9),
                    rows.getInt(10), rows.getString(11), errors(json, rows.getString(12)), tree(json, rows.getString(13)),
                    rows.getString(14), instant(rows, 15), instant(rows, 16), instant(rows, 17), instant(rows, 18)));
        }
        return jobs;
    }

    static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static void set(PreparedStatement statement, int index, Instant time) throws SQLException {
        statement.setObject(index, time == null ? null : OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
    }

    static String text(ObjectMapper json, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable as JSON", e);
        }
    }

    private static JsonNode tree(ObjectMapper json, String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a jsonb column that is not JSON", e);
        }
    }

    private static List<JobError> errors(ObjectMapper json, String text) {
        try {
            return json.readValue(text, ERRORS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job errors that are not a list of errors", e);
        }
    }
}
