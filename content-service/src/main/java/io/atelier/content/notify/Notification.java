package io.atelier.content.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.atelier.platform.feeds.FeedEntry;

/**
 * A notification as it sits in the feed: its type, who may see it ({@code audience}: a user id, or null
 * for everyone), when it happened, and its {@code data} as JSON text. Rendered once per instance into the
 * frame every matching socket is sent.
 */
record Notification(NotificationType type, UUID audience, Instant occurredAt, String data) {

    private static final String TYPE = "type";
    private static final String AUDIENCE = "audience";
    private static final String OCCURRED_AT = "occurredAt";
    private static final String DATA = "data";

    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(TYPE, type.wireName());
        fields.put(AUDIENCE, audience == null ? "" : audience.toString());
        fields.put(OCCURRED_AT, occurredAt.toString());
        fields.put(DATA, data);
        return fields;
    }

    /** The notification an entry holds; empty for one this version cannot read. */
    static Optional<Notification> read(FeedEntry entry) {
        try {
            NotificationType type = NotificationType.ofWireName(entry.field(TYPE));
            String audience = entry.field(AUDIENCE);
            return type == null ? Optional.empty() : Optional.of(new Notification(type,
                    audience == null || audience.isEmpty() ? null : UUID.fromString(audience),
                    Instant.parse(entry.field(OCCURRED_AT)), entry.field(DATA)));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * The frame: {@code {"id":..., "type":..., "occurredAt":..., "data":{...}}}. Built by hand: id, type
     * and time are plain tokens (digits and '-', a lower-case name, an ISO instant) and data is JSON
     * written by Jackson, so nothing needs escaping.
     */
    String render(String id) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type.wireName() + "\",\"occurredAt\":\"" + occurredAt
                + "\",\"data\":" + data + "}";
    }

    boolean visibleTo(UUID userId) {
        return audience == null || audience.equals(userId);
    }
}
