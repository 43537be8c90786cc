package io.atelier.content.collection;

import java.time.Instant;
import java.util.UUID;

/** A post's place in a collection, as answered to an add. */
public record Membership(UUID collectionId, UUID postId, Instant addedAt) {
}
