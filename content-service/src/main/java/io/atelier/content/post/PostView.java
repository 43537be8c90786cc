package io.atelier.content.post;

import java.time.Instant;
import java.util.UUID;

import io.atelier.content.author.Author;

/** A post as the API shows it. */
public record PostView(UUID id, String title, String body, Author author, Instant createdAt, Instant updatedAt) {

    public static PostView of(Post post, Author author) {
        return new PostView(post.id, post.title, post.body, author, post.createdAt, post.updatedAt);
    }
}
