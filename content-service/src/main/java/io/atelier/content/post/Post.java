package io.atelier.content.post;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

@Entity
@Table(name = "post")
public class Post {

    @Id
    public UUID id;

    @Column(name = "author_id")
    public UUID authorId;

    public String title;

    public String body;

    /** Microsecond precision (PageCursor.truncate): the list's sort key. */
    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
