package io.atelier.content.collection;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A post's place in a collection. */
@Entity
@Table(name = "collection_post")
@IdClass(CollectedPost.Key.class)
public class CollectedPost {

    @Id
    @Column(name = "collection_id")
    public UUID collectionId;

    @Id
    @Column(name = "post_id")
    public UUID postId;

    @Column(name = "added_at")
    public Instant addedAt;

    public record Key(UUID collectionId, UUID postId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
