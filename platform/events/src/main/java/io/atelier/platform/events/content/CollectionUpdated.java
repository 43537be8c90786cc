package io.atelier.platform.events.content;

import java.time.Instant;
import java.util.UUID;

/** A collection's name or description changed; private to its owner. */
public record CollectionUpdated(UUID collectionId, UUID ownerId, String name, Instant updatedAt) implements ContentEvent {

    public static final String TYPE = "content.collection.updated";

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
