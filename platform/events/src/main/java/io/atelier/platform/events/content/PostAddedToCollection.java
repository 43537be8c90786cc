package io.atelier.platform.events.content;

import java.time.Instant;
import java.util.UUID;

/** A post joined a collection (once: adding it again records nothing); private to the owner. */
public record PostAddedToCollection(UUID collectionId, UUID ownerId, UUID postId, Instant addedAt) implements ContentEvent {

    public static final String TYPE = "content.collection.post-added";

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
