package io.atelier.content.post;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.platform.web.PageCursor;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class PostRepository implements PanacheRepositoryBase<Post, UUID> {

    /**
     * Up to {@code limit} posts after {@code cursor} (newest first), by one author or by anyone. The
     * caller asks for one more than a page to learn whether another page follows.
     */
    public List<Post> page(UUID authorId, PageCursor cursor, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (authorId != null) {
            where.append(" and authorId = :author");
            parameters.and("author", authorId);
        }
        if (cursor != null) {
            // Row-value comparison, spelled out: (createdAt, id) < (cursor.at, cursor.id)
            where.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            parameters.and("at", cursor.at()).and("id", cursor.id());
        }
        return find(where + " order by createdAt desc, id desc", parameters).page(0, limit).list();
    }
}
