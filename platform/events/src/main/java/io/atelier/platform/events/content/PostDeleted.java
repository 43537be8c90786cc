package io.atelier.platform.events.content;

import java.time.Instant;
import java.util.UUID;

/** A post is gone, and with it its place in every collection. */
public record PostDeleted(UUID postId, UUID authorId, Instant deletedAt) implements ContentEvent {

    public static final String TYPE = "content.post.deleted";

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String subject() {
        return postId.toString();
    }

    @Override
    public UUID audience() {
        return null;
    }
}
