package io.atelier.content.notify;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.atelier.platform.events.content.CollectionCreated;
import io.atelier.platform.events.content.CollectionDeleted;
import io.atelier.platform.events.content.CollectionUpdated;
import io.atelier.platform.events.content.ContentEvent;
import io.atelier.platform.events.content.PostAddedToCollection;
import io.atelier.platform.events.content.PostCreated;
import io.atelier.platform.events.content.PostDeleted;
import io.atelier.platform.events.content.PostRemovedFromCollection;
import io.atelier.platform.events.content.PostUpdated;

/** The {@code type} of a notification, and the event it is made from. */
public enum NotificationType {

    POST_CREATED(PostCreated.TYPE, PostCreated.class),
    POST_UPDATED(PostUpdated.TYPE, PostUpdated.class),
    POST_DELETED(PostDeleted.TYPE, PostDeleted.class),
    COLLECTION_CREATED(CollectionCreated.TYPE, CollectionCreated.class),
    COLLECTION_UPDATED(CollectionUpdated.TYPE, CollectionUpdated.class),
    COLLECTION_DELETED(CollectionDeleted.TYPE, CollectionDeleted.class),
    POST_ADDED_TO_COLLECTION(PostAddedToCollection.TYPE, PostAddedToCollection.class),
    POST_REMOVED_FROM_COLLECTION(PostRemovedFromCollection.TYPE, PostRemovedFromCollection.class);

    private static final Map<String, NotificationType> BY_EVENT_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(t -> t.eventType, Function.identity()));
    private static final Map<String, NotificationType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(NotificationType::wireName, Function.identity()));

    private final String eventType;
    private final Class<? extends ContentEvent> payload;

    NotificationType(String eventType, Class<? extends ContentEvent> payload) {
        this.eventType = eventType;
        this.payload = payload;
    }

    /** How clients see it: {@code post_created}, ... */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    Class<? extends ContentEvent> payload() {
        return payload;
    }

    /** The notification made from a CloudEvents type of content.events; null for a type it knows nothing of. */
    static NotificationType ofEventType(String eventType) {
        return eventType == null ? null : BY_EVENT_TYPE.get(eventType);
    }

    /** The type a client names in {@code ?types=}; null when there is none by that name. */
    static NotificationType ofWireName(String name) {
        return BY_NAME.get(name);
    }
}
