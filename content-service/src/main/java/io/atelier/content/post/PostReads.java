package io.atelier.content.post;

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
import io.atelier.content.author.Author;
import io.atelier.platform.web.PageCursor;

/**
 * The read side of posts, for the hottest requests: one SQL statement per answer, the author's name
 * joined from the users replica ({@code atelier_user}), rows mapped straight to the API's records. No ORM
 * session and no JTA transaction: a single SELECT in autocommit already reads one consistent snapshot,
 * and everything else only cost CPU (the benchmark in bench/results shows how much). Writes stay with
 * {@link PostRepository} and the entity.
 */
@ApplicationScoped
public class PostReads {

    private static final String SELECT = """
            SELECT p.id, p.title, p.body, p.author_id, u.display_name, p.created_at, p.updated_at
            FROM post p LEFT JOIN atelier_user u ON u.id = p.author_id""";
    private static final String NEWEST_FIRST = " ORDER BY p.created_at DESC, p.id DESC LIMIT ?";

    private final AgroalDataSource dataSource;

    PostReads(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Up to {@code limit} posts after {@code cursor} (newest first), by one author or by anyone. */
    public List<PostView> page(UUID authorId, PageCursor cursor, int limit) {
        StringBuilder sql = new StringBuilder(SELECT);
        List<Object> parameters = new ArrayList<>(4);
        String glue = " WHERE ";
        if (authorId != null) {
            sql.append(glue).append("p.author_id = ?");
            parameters.add(authorId);
            glue = " AND ";
        }
        if (cursor != null) {
            sql.append(glue).append("(p.created_at, p.id) < (?, ?)");
            parameters.add(Timestamp.from(cursor.at()));
            parameters.add(cursor.id());
        }
        sql.append(NEWEST_FIRST);
        parameters.add(limit);
        return query(sql.toString(), parameters);
    }

    public Optional<PostView> find(UUID id) {
        List<PostView> found = query(SELECT + " WHERE p.id = ?", List.of(id));
        return found.stream().findFirst();
    }

    private List<PostView> query(String sql, List<Object> parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<PostView> posts = new ArrayList<>();
                while (rows.next()) {
                    posts.add(new PostView(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            new Author(rows.getObject(4, UUID.class), rows.getString(5)),
                            rows.getObject(6, OffsetDateTime.class).toInstant(),
                            rows.getObject(7, OffsetDateTime.class).toInstant()));
                }
                return posts;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read posts", e);
        }
    }
}
