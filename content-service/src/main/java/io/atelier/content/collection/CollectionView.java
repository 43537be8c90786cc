package io.atelier.content.collection;

import java.time.Instant;
import java.util.UUID;

public record CollectionView(UUID id, UUID ownerId, String name, String description, Instant createdAt,
        Instant updatedAt) {

    static CollectionView of(Collection collection) {
        return new CollectionView(collection.id, collection.ownerId, collection.name, collection.description,
                collection.createdAt, collection.updatedAt);
    }
}
