package io.atelier.content.notify;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.content.post.NewestPosts;
import io.atelier.platform.feeds.FeedEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/** This instance's open notification sockets, and the fan-out of each new feed entry to those that want it. */
@ApplicationScoped
class Subscribers {

    private static final Set<NotificationType> POST_CHANGES = EnumSet.of(NotificationType.POST_CREATED,
            NotificationType.POST_UPDATED, NotificationType.POST_DELETED);

    private final Map<String, Subscriber> open = new ConcurrentHashMap<>();
    private final NewestPosts newest;

    Subscribers(MeterRegistry metrics, NewestPosts newest) {
        this.newest = newest;
        metrics.gaugeMapSize("atelier.content.notifications.connections", java.util.List.of(), open);
    }

    void add(Subscriber subscriber) {
        open.put(subscriber.connectionId(), subscriber);
    }

    void remove(String connectionId) {
        Subscriber gone = open.remove(connectionId);
        if (gone != null) {
            gone.delivery().close();
        }
    }

    /** Whether the user has a socket open on this instance (its @OnOpen has run). */
    boolean connected(java.util.UUID userId) {
        return open.values().stream().anyMatch(subscriber -> subscriber.userId().equals(userId));
    }

    /** Runs on the feed's tail thread: renders the entry once, queues it for every matching socket, never blocks. */
    void dispatch(FeedEntry entry) {
        Notification notification = Notification.read(entry).orElse(null);
        if (notification == null) {
            Log.warnf("notification feed entry %s is unreadable; skipped", entry.id());
            return;
        }
        if (POST_CHANGES.contains(notification.type())) {
            newest.changed(); // a change made on any instance: this instance's kept first pages are stale
        }
        String frame = null;
        for (Subscriber subscriber : open.values()) {
            if (subscriber.wants(notification)) {
                if (frame == null) {
                    frame = notification.render(entry.id().toString());
                }
                subscriber.delivery().offerLive(entry.id(), frame);
            }
        }
    }
}
