package io.atelier.platform.events.content;

import java.time.Instant;
import java.util.UUID;

/** A new collection; private to its owner. */
public record CollectionCreated(UUID collectionId, UUID ownerId, String name, Instant createdAt) implements ContentEvent {

    public static final String TYPE = "content.collection.created";

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
