package io.atelier.content.collection;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.atelier.content.author.Author;
import io.atelier.content.author.Authors;
import io.atelier.content.post.PostService;
import io.atelier.content.post.PostView;
import io.atelier.platform.events.content.CollectionCreated;
import io.atelier.platform.events.content.CollectionDeleted;
import io.atelier.platform.events.content.CollectionUpdated;
import io.atelier.platform.events.content.PostAddedToCollection;
import io.atelier.platform.events.content.PostRemovedFromCollection;
import io.atelier.platform.outbox.Outbox;
import io.atelier.platform.web.Page;
import io.atelier.platform.web.PageCursor;

/**
 * Collections are private: only the owner sees or changes one, everyone else is told it does not exist.
 * Every change locks the collection's row first, so one collection's changes and their events are in order.
 */
@ApplicationScoped
public class CollectionService {

    private final CollectionRepository collections;
    private final CollectedPostRepository collected;
    private final PostService posts;
    private final Authors authors;
    private final Outbox outbox;
    private final Clock clock;

    CollectionService(CollectionRepository collections, CollectedPostRepository collected, PostService posts,
            Authors authors, Outbox outbox, Clock clock) {
        this.collections = collections;
        this.collected = collected;
        this.posts = posts;
        this.authors = authors;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    public CollectionView create(UUID ownerId, CollectionInput input) {
        Instant now = now();
        Collection collection = new Collection();
        collection.id = UUID.randomUUID();
        collection.ownerId = ownerId;
        collection.name = input.name();
        collection.description = input.description();
        collection.createdAt = now;
        collection.updatedAt = now;
        collections.persist(collection);
        outbox.publish(new CollectionCreated(collection.id, ownerId, collection.name, now));
        return CollectionView.of(collection);
    }

    @Transactional
    public Page<CollectionView> list(UUID ownerId, PageCursor cursor, int limit) {
        List<Collection> rows = collections.page(ownerId, cursor, limit + 1);
        List<Collection> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? new PageCursor(page.getLast().createdAt, page.getLast().id).encode() : null;
        return new Page<>(page.stream().map(CollectionView::of).toList(), next);
    }

    @Transactional
    public CollectionView get(UUID ownerId, UUID id) {
        return CollectionView.of(owned(ownerId, id, LockModeType.NONE));
    }

    @Transactional
    public CollectionView update(UUID ownerId, UUID id, CollectionInput input) {
        Collection collection = owned(ownerId, id, LockModeType.PESSIMISTIC_WRITE);
        collection.name = input.name();
        collection.description = input.description();
        collection.updatedAt = now();
        outbox.publish(new CollectionUpdated(collection.id, ownerId, collection.name, collection.updatedAt));
        return CollectionView.of(collection);
    }

    @Transactional
    public void delete(UUID ownerId, UUID id) {
        Collection collection = owned(ownerId, id, LockModeType.PESSIMISTIC_WRITE);
        collections.delete(collection);
        outbox.publish(new CollectionDeleted(collection.id, ownerId, now()));
    }

    /** The collection's posts, most recently added first. */
    @Transactional
    public Page<PostView> posts(UUID ownerId, UUID id, PageCursor cursor, int limit) {
        owned(ownerId, id, LockModeType.NONE);
        List<CollectedPostRepository.Entry> rows = collected.page(id, cursor, limit + 1);
        List<CollectedPostRepository.Entry> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        Map<UUID, Author> byId = authors.of(page.stream().map(entry -> entry.post().authorId).toList());
        String next = rows.size() > limit
                ? new PageCursor(page.getLast().addedAt(), page.getLast().post().id).encode()
                : null;
        return new Page<>(page.stream().map(entry -> PostView.of(entry.post(), byId.get(entry.post().authorId)))
                .toList(), next);
    }

    /** Adds the post once; adding it again changes nothing and records no event. */
    @Transactional
    public Added addPost(UUID ownerId, UUID id, UUID postId) {
        Collection collection = owned(ownerId, id, LockModeType.PESSIMISTIC_WRITE);
        posts.holdExisting(postId);
        Instant now = now();
        if (collected.add(collection.id, postId, now)) {
            outbox.publish(new PostAddedToCollection(collection.id, ownerId, postId, now));
            return new Added(new Membership(collection.id, postId, now), true);
        }
        CollectedPost existing = collected.findById(new CollectedPost.Key(collection.id, postId));
        return new Added(new Membership(collection.id, postId, existing.addedAt), false);
    }

    @Transactional
    public void removePost(UUID ownerId, UUID id, UUID postId) {
        Collection collection = owned(ownerId, id, LockModeType.PESSIMISTIC_WRITE);
        if (!collected.remove(collection.id, postId)) {
            throw new CollectionProblems.NotInCollection();
        }
        outbox.publish(new PostRemovedFromCollection(collection.id, ownerId, postId, now()));
    }

    /** What an add did: {@code created} false when the post was in the collection already. */
    public record Added(Membership membership, boolean created) {
    }

    private Collection owned(UUID ownerId, UUID id, LockModeType lock) {
        Collection collection = collections.findByIdOptional(id, lock).orElse(null);
        if (collection == null || !collection.ownerId.equals(ownerId)) {
            throw new CollectionProblems.NoSuchCollection();
        }
        return collection;
    }

    private Instant now() {
        return PageCursor.truncate(clock.instant());
    }
}
