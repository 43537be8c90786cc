package io.atelier.workspace.live;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.atelier.workspace.access.Action;
import io.atelier.workspace.access.Role;
import io.atelier.workspace.config.LiveConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Each project's numbered log in PostgreSQL: the durable messages (joins, leaves, file changes, removals)
 * under the project's next sequence number, each committed before any client or other instance hears of
 * it. It is the history a client resumes from and what an instance fills a gap from; Redis only carries
 * messages between instances. Plain JDBC, one short transaction per append. Blocking: worker or virtual
 * threads.
 */
@ApplicationScoped
class ProjectLog {

    /**
     * What {@link #appendIfAllowed} did: the message appended, or none because the sender's {@code role} (null
     * when not a member) does not allow it or the project is gone.
     */
    record Checked(LiveMessage message, Role role, boolean projectGone) {
    }

    /** A file changed lately: {@code GET .../workspace/status}. */
    record RecentFile(String path, UUID changedBy, Instant changedAt) {
    }

    // One statement, so one round trip, and the project's sequence row stays locked only for it: checks the
    // sender's role when the message needs one (PostgreSQL holds the membership; no cache between), numbers the
    // message, stores it (its frame put together around the number) and, for a FILE_CHANGE, marks the file.
    // It answers one row: the new number (null when refused) and the sender's role (null for a non-member).
    private static final String APPEND = """
            WITH input AS (
              SELECT CAST(? AS uuid) AS project_id, CAST(? AS text) AS type, CAST(? AS uuid) AS user_id,
                     CAST(? AS uuid) AS subject_user_id, CAST(? AS timestamptz) AS at,
                     CAST(? AS text) AS before_seq, CAST(? AS text) AS after_seq, CAST(? AS text) AS path,
                     CAST(? AS text[]) AS may),
            sender AS (
              SELECT m.role FROM member m JOIN input ON m.project_id = input.project_id AND m.user_id = input.user_id),
            next AS (
              INSERT INTO project_sequence (project_id, last_seq) SELECT project_id, 1 FROM input
              WHERE may IS NULL OR EXISTS (SELECT 1 FROM sender WHERE sender.role = ANY (input.may))
              ON CONFLICT (project_id) DO UPDATE SET last_seq = project_sequence.last_seq + 1
              RETURNING last_seq),
            message AS (
              INSERT INTO project_message (project_id, seq, type, user_id, subject_user_id, at, frame)
              SELECT project_id, last_seq, type, user_id, subject_user_id, at, before_seq || last_seq || after_seq
              FROM input, next
              RETURNING seq),
            file AS (
              INSERT INTO project_file (project_id, path, changed_by, changed_at)
              SELECT project_id, path, user_id, at FROM input, message WHERE path IS NOT NULL
              ON CONFLICT (project_id, path) DO UPDATE SET changed_by = excluded.changed_by, changed_at = excluded.changed_at)
            SELECT (SELECT seq FROM message), (SELECT role FROM sender)""";
    private static final String LOCK_PROJECT = "SELECT 1 FROM project WHERE id = ? FOR KEY SHARE";
    private static final String READ_AFTER = """
            SELECT seq, type, user_id, subject_user_id, frame FROM project_message
            WHERE project_id = ? AND seq > ? ORDER BY seq LIMIT ?""";
    private static final String HEADS = """
            SELECT p.id, COALESCE(s.last_seq, 0) FROM project p LEFT JOIN project_sequence s ON s.project_id = p.id
            WHERE p.id = ANY (?)""";
    private static final String OLDEST = "SELECT MIN(seq) FROM project_message WHERE project_id = ?";
    private static final String RECENT_FILES = """
            SELECT path, changed_by, changed_at FROM project_file WHERE project_id = ?
            ORDER BY changed_at DESC, path LIMIT ?""";
    private static final String TRIM = """
            DELETE FROM project_message m USING project_sequence s
            WHERE m.project_id = s.project_id AND m.seq <= s.last_seq - ? AND m.at < ?""";
    private static final String TRIM_FILES = """
            DELETE FROM project_file f WHERE f.changed_at < ? AND f.path NOT IN (
              SELECT path FROM project_file r WHERE r.project_id = f.project_id ORDER BY changed_at DESC LIMIT ?)""";

    private final DataSource database;
    private final Frames frames;
    private final Clock clock;
    private final LiveConfig.History history;
    private final int recentFiles;

    ProjectLog(DataSource database, Frames frames, Clock clock, LiveConfig config) {
        this.database = database;
        this.frames = frames;
        this.clock = clock;
        this.history = config.history();
        this.recentFiles = config.messages().recentFiles();
    }

    /**
     * Appends a durable message under the project's next sequence number, in one transaction; a FILE_CHANGE
     * also marks its file changed.
     *
     * @param filePath the changed file of a FILE_CHANGE, else null
     * @return the message; empty when the project no longer exists
     */
    Optional<LiveMessage> append(UUID projectId, MessageType type, UUID userId, UUID subject, JsonNode data,
            String filePath) throws SQLException {
        return Optional.ofNullable(append(projectId, type, userId, subject, data, filePath, null).message());
    }

    /**
     * Appends a durable message from {@code userId} as {@link #append} does, when the user's role in the project
     * allows {@code action} at that moment (checked in the same statement: a role changed or a member removed
     * just before applies to this message).
     *
     * @param filePath the changed file of a FILE_CHANGE, else null
     */
    Checked appendIfAllowed(UUID projectId, MessageType type, UUID userId, JsonNode data, String filePath,
            Action action) throws SQLException {
        return append(projectId, type, userId, null, data, filePath, Role.allowedTo(action));
    }

    private Checked append(UUID projectId, MessageType type, UUID userId, UUID subject, JsonNode data,
            String filePath, Set<Role> may) throws SQLException {
        try (Connection connection = database.getConnection()) {
            return insert(connection, projectId, type, userId, subject, data, filePath, may);
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                return new Checked(null, null, true); // foreign key: the project was deleted
            }
            throw e;
        }
    }

    /**
     * Appends a durable message inside the caller's JTA transaction, which commits it together with
     * whatever else it did (e.g. {@code ConsumedEvents} remembering the event the message came from). The
     * project's row is locked against deletion first ({@code FOR KEY SHARE}), so a project deleted meanwhile
     * is an empty answer, never an aborted transaction. The message must not be published before that
     * transaction has committed.
     *
     * @return the message; empty when the project does not exist
     */
    Optional<LiveMessage> appendInTransaction(UUID projectId, MessageType type, UUID userId, JsonNode data)
            throws SQLException {
        try (Connection connection = database.getConnection()) {
            try (PreparedStatement exists = connection.prepareStatement(LOCK_PROJECT)) {
                exists.setObject(1, projectId);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(insert(connection, projectId, type, userId, null, data, null, null).message());
        }
    }

    /** @param may the roles allowed to send it; null: no check */
    private Checked insert(Connection connection, UUID projectId, MessageType type, UUID userId, UUID subject,
            JsonNode data, String filePath, Set<Role> may) throws SQLException {
        OffsetDateTime at = clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        Frames.Template frame = frames.template(type, projectId, userId, at.toInstant(), data);
        try (PreparedStatement append = connection.prepareStatement(APPEND)) {
            append.setObject(1, projectId);
            append.setString(2, type.name());
            append.setObject(3, userId);
            append.setObject(4, subject);
            append.setObject(5, at);
            append.setString(6, frame.beforeSeq());
            append.setString(7, frame.afterSeq());
            append.setString(8, filePath);
            append.setArray(9, may == null ? null
                    : connection.createArrayOf("text", may.stream().map(Role::name).toArray()));
            try (ResultSet rs = append.executeQuery()) {
                rs.next();
                long seq = rs.getLong(1);
                boolean appended = !rs.wasNull();
                String role = rs.getString(2);
                return new Checked(appended ? new LiveMessage(projectId, seq, type, userId, subject, null, frame.with(seq)) : null,
                        role == null ? null : Role.valueOf(role), false);
            }
        }
    }

    /** Up to {@code limit} durable messages after {@code after}, oldest first. */
    List<LiveMessage> readAfter(UUID projectId, long after, int limit) throws SQLException {
        List<LiveMessage> messages = new ArrayList<>();
        try (Connection connection = database.getConnection();
                PreparedStatement read = connection.prepareStatement(READ_AFTER)) {
            read.setObject(1, projectId);
            read.setLong(2, after);
            read.setInt(3, limit);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    messages.add(new LiveMessage(projectId, rs.getLong(1), MessageType.valueOf(rs.getString(2)),
                            rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), null, rs.getString(5)));
                }
            }
        }
        return messages;
    }

    /** The project's last sequence number (0 before its first message); empty when it does not exist. */
    OptionalLong head(UUID projectId) throws SQLException {
        Long head = heads(List.of(projectId)).get(projectId);
        return head == null ? OptionalLong.empty() : OptionalLong.of(head);
    }

    /** Last sequence numbers of those of the projects that still exist. */
    Map<UUID, Long> heads(Collection<UUID> projectIds) throws SQLException {
        Map<UUID, Long> heads = new HashMap<>();
        try (Connection connection = database.getConnection();
                PreparedStatement read = connection.prepareStatement(HEADS)) {
            read.setArray(1, connection.createArrayOf("uuid", projectIds.toArray()));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        return heads;
    }

    /** The oldest sequence number still kept; empty when none is. */
    OptionalLong oldestKept(UUID projectId) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement read = connection.prepareStatement(OLDEST)) {
            read.setObject(1, projectId);
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                long oldest = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(oldest);
            }
        }
    }

    List<RecentFile> recentFiles(UUID projectId) throws SQLException {
        List<RecentFile> files = new ArrayList<>();
        try (Connection connection = database.getConnection();
                PreparedStatement read = connection.prepareStatement(RECENT_FILES)) {
            read.setObject(1, projectId);
            read.setInt(2, recentFiles);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    files.add(new RecentFile(rs.getString(1), rs.getObject(2, UUID.class),
                            rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return files;
    }

    /** Drops messages both older than the kept age and beyond the kept count, and files long unchanged. */
    @Scheduled(every = "60s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void trim() {
        Timestamp before = Timestamp.from(clock.instant().minus(history.keepFor()));
        try (Connection connection = database.getConnection();
                PreparedStatement trim = connection.prepareStatement(TRIM);
                PreparedStatement trimFiles = connection.prepareStatement(TRIM_FILES)) {
            trim.setInt(1, history.keepMessages());
            trim.setTimestamp(2, before);
            int messages = trim.executeUpdate();
            trimFiles.setTimestamp(1, before);
            trimFiles.setInt(2, recentFiles);
            int files = trimFiles.executeUpdate();
            Log.debugf("project logs trimmed: %d messages, %d files", messages, files);
        } catch (SQLException e) {
            Log.warnf("trimming project logs failed (next try in a minute): %s", e.getMessage());
        }
    }
}
