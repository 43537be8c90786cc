package io.atelier.platform.events.content;

import java.time.Instant;
import java.util.UUID;

/** A post's title or body changed; carries the new title (bodies stay out of events). */
public record PostUpdated(UUID postId, UUID authorId, String title, Instant updatedAt) implements ContentEvent {

    public static final String TYPE = "content.post.updated";

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
