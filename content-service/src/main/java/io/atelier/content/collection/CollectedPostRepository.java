package io.atelier.content.collection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.content.post.Post;
import io.atelier.platform.web.PageCursor;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class CollectedPostRepository implements PanacheRepositoryBase<CollectedPost, CollectedPost.Key> {

    /** A post with the time it joined the collection. */
    public record Entry(Post post, Instant addedAt) {
    }

    /** @return whether the post was added (false: it was there already, and nothing changed) */
    public boolean add(UUID collectionId, UUID postId, Instant at) {
        return getEntityManager().createNativeQuery("""
                INSERT INTO collection_post (collection_id, post_id, added_at) VALUES (?1, ?2, ?3)
                ON CONFLICT DO NOTHING""")
                .setParameter(1, collectionId).setParameter(2, postId).setParameter(3, at)
                .executeUpdate() == 1;
    }

    /** @return whether the post was in the collection */
    public boolean remove(UUID collectionId, UUID postId) {
        return delete("collectionId = ?1 and postId = ?2", collectionId, postId) == 1;
    }

    /** Up to {@code limit} of the collection's posts after {@code cursor}, most recently added first. */
    public List<Entry> page(UUID collectionId, PageCursor cursor, int limit) {
        String where = "cp.collectionId = :collection";
        if (cursor != null) {
            where += " and (cp.addedAt < :at or (cp.addedAt = :at and cp.postId < :id))";
        }
        var query = getEntityManager().createQuery("select p, cp.addedAt from CollectedPost cp join Post p on p.id = cp.postId"
                + " where " + where + " order by cp.addedAt desc, cp.postId desc", Object[].class)
                .setParameter("collection", collectionId)
                .setMaxResults(limit);
        if (cursor != null) {
            query.setParameter("at", cursor.at()).setParameter("id", cursor.id());
        }
        return query.getResultList().stream().map(row -> new Entry((Post) row[0], (Instant) row[1])).toList();
    }
}
