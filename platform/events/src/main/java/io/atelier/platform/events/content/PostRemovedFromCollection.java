package io.atelier.platform.events.content;

import java.time.Instant;
import java.util.UUID;

/** A post left a collection; private to the owner. */
public record PostRemovedFromCollection(UUID collectionId, UUID ownerId, UUID postId, Instant removedAt) implements ContentEvent {

    public static final String TYPE = "content.collection.post-removed";

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
