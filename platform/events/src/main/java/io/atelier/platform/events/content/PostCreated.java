package io.atelier.platform.events.content;

import java.time.Instant;
import java.util.UUID;

/** A new post; public. */
public record PostCreated(UUID postId, UUID authorId, String title, Instant createdAt) implements ContentEvent {

    public static final String TYPE = "content.post.created";

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
