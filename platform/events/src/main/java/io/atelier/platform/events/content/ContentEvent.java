package io.atelier.platform.events.content;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;

/**
 * Everything content-service publishes on {@code content.events}. Post events are keyed by the post,
 * collection events (membership included) by the collection, so each aggregate's events stay in order.
 * {@link #audience()} says who may be told: everyone, or only a collection's owner.
 */
public sealed interface ContentEvent extends DomainEvent
        permits PostCreated, PostUpdated, PostDeleted, CollectionCreated, CollectionUpdated, CollectionDeleted,
        PostAddedToCollection, PostRemovedFromCollection {

    @Override
    default String topic() {
        return Topics.CONTENT_EVENTS;
    }

    /** The user this event is private to (a collection's owner), or null when it is public. */
    java.util.UUID audience();
}
