package io.atelier.platform.events.content;

import java.time.Instant;
import java.util.UUID;

/** A collection is gone; private to its owner. */
public record CollectionDeleted(UUID collectionId, UUID ownerId, Instant deletedAt) implements ContentEvent {

    public static final String TYPE = "content.collection.deleted";

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String subject() {
        return collectionId.toString();
    }

    @Override
    public UUID audience() {
        return ownerId;
    }
}
