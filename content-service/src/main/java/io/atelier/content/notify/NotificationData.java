package io.atelier.content.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.content.author.Authors;
import io.atelier.platform.events.content.CollectionCreated;
import io.atelier.platform.events.content.CollectionDeleted;
import io.atelier.platform.events.content.CollectionUpdated;
import io.atelier.platform.events.content.ContentEvent;
import io.atelier.platform.events.content.PostAddedToCollection;
import io.atelier.platform.events.content.PostCreated;
import io.atelier.platform.events.content.PostDeleted;
import io.atelier.platform.events.content.PostRemovedFromCollection;
import io.atelier.platform.events.content.PostUpdated;

/**
 * Turns an event into the notification clients see. Post notifications name the author with the display
 * name of the moment (from the users replica), so no client has to look it up for each message.
 */
@ApplicationScoped
class NotificationData {

    private final Authors authors;
    private final ObjectMapper json;

    NotificationData(Authors authors, ObjectMapper json) {
        this.authors = authors;
        this.json = json;
    }

    Notification of(NotificationType type, ContentEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        Instant at = switch (event) {
            case PostCreated e -> {
                post(data, e.postId(), e.title(), e.authorId());
                yield e.createdAt();
            }
            case PostUpdated e -> {
                post(data, e.postId(), e.title(), e.authorId());
                yield e.updatedAt();
            }
            case PostDeleted e -> {
                data.put("postId", e.postId());
                data.put("authorId", e.authorId());
                yield e.deletedAt();
            }
            case CollectionCreated e -> {
                data.put("collectionId", e.collectionId());
                data.put("name", e.name());
                yield e.createdAt();
            }
            case CollectionUpdated e -> {
                data.put("collectionId", e.collectionId());
                data.put("name", e.name());
                yield e.updatedAt();
            }
            case CollectionDeleted e -> {
                data.put("collectionId", e.collectionId());
                yield e.deletedAt();
            }
            case PostAddedToCollection e -> {
                data.put("collectionId", e.collectionId());
                data.put("postId", e.postId());
                yield e.addedAt();
            }
            case PostRemovedFromCollection e -> {
                data.put("collectionId", e.collectionId());
                data.put("postId", e.postId());
                yield e.removedAt();
            }
        };
        if (at == null || data.entrySet().stream().anyMatch(field -> field.getKey().endsWith("Id") && field.getValue() == null)) {
            throw new UnusableEvent(type + " without its time or ids");
        }
        try {
            return new Notification(type, event.audience(), at, json.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification data is not serialisable", e);
        }
    }

    /** An event that lacks what its notification needs: a producer's bug, which no retry mends. */
    static final class UnusableEvent extends IllegalArgumentException {
        UnusableEvent(String message) {
            super(message);
        }
    }

    private void post(Map<String, Object> data, UUID postId, String title, UUID authorId) {
        data.put("postId", postId);
        data.put("title", title);
        data.put("author", authors.of(authorId));
    }
}
