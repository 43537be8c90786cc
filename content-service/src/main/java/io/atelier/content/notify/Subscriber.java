package io.atelier.content.notify;

import java.util.Set;
import java.util.UUID;

import io.atelier.platform.feeds.ResumableDelivery;

/** One open socket: whose it is, which types it asked for (null: all), and its queue. */
record Subscriber(String connectionId, UUID userId, Set<NotificationType> types, ResumableDelivery delivery) {

    boolean wants(Notification notification) {
        return wants(types, userId, notification);
    }

    static boolean wants(Set<NotificationType> types, UUID userId, Notification notification) {
        return (types == null || types.contains(notification.type())) && notification.visibleTo(userId);
    }
}
