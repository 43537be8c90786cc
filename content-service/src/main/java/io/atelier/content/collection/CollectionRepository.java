package io.atelier.content.collection;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.platform.web.PageCursor;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

@ApplicationScoped
public class CollectionRepository implements PanacheRepositoryBase<Collection, UUID> {

    /** Up to {@code limit} of the owner's collections after {@code cursor}, newest first. */
    public List<Collection> page(UUID ownerId, PageCursor cursor, int limit) {
        Parameters parameters = Parameters.with("owner", ownerId);
        String where = "ownerId = :owner";
        if (cursor != null) {
            where += " and (createdAt < :at or (createdAt = :at and id < :id))";
            parameters.and("at", cursor.at()).and("id", cursor.id());
        }
        return find(where + " order by createdAt desc, id desc", parameters).page(0, limit).list();
    }
}
