package io.atelier.content.post;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.content.author.Authors;
import io.atelier.platform.events.content.PostCreated;
import io.atelier.platform.events.content.PostDeleted;
import io.atelier.platform.events.content.PostUpdated;
import io.atelier.platform.outbox.AfterCommit;
import io.atelier.platform.outbox.Outbox;
import io.atelier.platform.web.Page;
import io.atelier.platform.web.PageCursor;

/** Posts: anyone signed in reads them all; only the author changes or deletes one. Each change is an event. */
@ApplicationScoped
public class PostService {

    private final PostRepository posts;
    private final PostReads reads;
    private final NewestPosts newest;
    private final TransactionSynchronizationRegistry transactions;
    private final Authors authors;
    private final ObjectMapper json;
    private final Outbox outbox;
    private final Clock clock;

    PostService(PostRepository posts, PostReads reads, NewestPosts newest,
            TransactionSynchronizationRegistry transactions, Authors authors, ObjectMapper json, Outbox outbox,
            Clock clock) {
        this.json = json;
        this.posts = posts;
        this.reads = reads;
        this.newest = newest;
        this.transactions = transactions;
        this.authors = authors;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    public PostView create(UUID authorId, PostInput input) {
        Instant now = PageCursor.truncate(clock.instant());
        Post post = new Post();
        post.id = UUID.randomUUID();
        post.authorId = authorId;
        post.title = input.title();
        post.body = input.body();
        post.createdAt = now;
        post.updatedAt = now;
        posts.persist(post);
        outbox.publish(new PostCreated(post.id, authorId, post.title, now));
        forgetNewestAfterCommit();
        return PostView.of(post, authors.of(authorId));
    }

    public PostView get(UUID id) {
        return reads.find(id).orElseThrow(PostProblems.NoSuchPost::new);
    }

    /** The first page of everyone's posts, newest first, as its JSON answer (see {@link NewestPosts}). */
    public byte[] newestJson(int limit) {
        return newest.firstPage(limit, () -> {
            try {
                return json.writeValueAsBytes(list(null, null, limit));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a page of posts is not serialisable", e);
            }
        });
    }

    /** Newest first; {@code authorId} null for everyone's. */
    public Page<PostView> list(UUID authorId, PageCursor cursor, int limit) {
        List<PostView> rows = reads.page(authorId, cursor, limit + 1);
        List<PostView> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? new PageCursor(page.getLast().createdAt(), page.getLast().id()).encode() : null;
        return new Page<>(page, next);
    }

    /** The post's row is locked first, so changes to one post (and their events) are strictly ordered. */
    @Transactional
    public PostView update(UUID callerId, UUID id, PostInput input) {
        Post post = ownedForChange(callerId, id);
        post.title = input.title();
        post.body = input.body();
        post.updatedAt = PageCursor.truncate(clock.instant());
        outbox.publish(new PostUpdated(post.id, post.authorId, post.title, post.updatedAt));
        forgetNewestAfterCommit();
        return PostView.of(post, authors.of(post.authorId));
    }

    /** The post leaves every collection with it (the memberships cascade in the database). */
    @Transactional
    public void delete(UUID callerId, UUID id) {
        Post post = ownedForChange(callerId, id);
        posts.delete(post);
        outbox.publish(new PostDeleted(post.id, post.authorId, PageCursor.truncate(clock.instant())));
        forgetNewestAfterCommit();
    }

    /**
     * Checks that the post exists and keeps it from being deleted until the caller's transaction ends
     * (a share lock): a post added to a collection cannot vanish half-way, so the add is a clean 404 or
     * a membership, never a foreign-key failure.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void holdExisting(UUID id) {
        posts.findByIdOptional(id, LockModeType.PESSIMISTIC_READ).orElseThrow(PostProblems.NoSuchPost::new);
    }

    /** Once the change is visible to readers, no kept page may hide it from its author. */
    private void forgetNewestAfterCommit() {
        AfterCommit.run(transactions, newest::changed);
    }

    private Post ownedForChange(UUID callerId, UUID id) {
        Post post = posts.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElseThrow(PostProblems.NoSuchPost::new);
        if (!post.authorId.equals(callerId)) {
            throw new PostProblems.NotAuthor();
        }
        return post;
    }
}
