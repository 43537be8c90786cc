package io.atelier.content.notify;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.content.post.NewestPosts;
import io.atelier.platform.feeds.ConnectionsByEventLoop;
import io.atelier.platform.feeds.FeedEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * This instance's open notification sockets, and the fan-out of each new feed entry to those that want it:
 * each event loop is handed the entry once and queues it for its own sockets, so the writes start on the
 * socket's own thread (no cross-thread task per socket) and the loops work in parallel.
 */
@ApplicationScoped
class Subscribers {

    private static final Set<NotificationType> POST_CHANGES = EnumSet.of(NotificationType.POST_CREATED,
            NotificationType.POST_UPDATED, NotificationType.POST_DELETED);

    private final ConnectionsByEventLoop<Subscriber> open = new ConnectionsByEventLoop<>();
    private final NewestPosts newest;

    Subscribers(MeterRegistry metrics, NewestPosts newest) {
        this.newest = newest;
        metrics.gauge("atelier.content.notifications.connections", List.of(), open, ConnectionsByEventLoop::size);
    }

    /** From the socket's own Vert.x context (its {@code @OnOpen}). */
    void add(Subscriber subscriber) {
        open.add(subscriber.connectionId(), subscriber);
    }

    void remove(String connectionId) {
        Subscriber gone = open.remove(connectionId);
        if (gone != null) {
            gone.delivery().close();
        }
    }

    /** Whether the user has a socket open on this instance (its @OnOpen has run). */
    boolean connected(UUID userId) {
        return open.snapshot().stream().anyMatch(subscriber -> subscriber.userId().equals(userId));
    }

    /** Runs on the feed's tail thread: renders the entry once and hands it to each event loop; never blocks. */
    void dispatch(FeedEntry entry) {
        Notification notification = Notification.read(entry).orElse(null);
        if (notification == null) {
            Log.warnf("notification feed entry %s is unreadable; skipped", entry.id());
            return;
        }
        if (POST_CHANGES.contains(notification.type())) {
            newest.changed(); // a change made on any instance: this instance's kept first pages are stale
        }
        String frame = notification.render(entry.id().toString());
        open.fanOut(subscriber -> {
            if (subscriber.wants(notification)) {
                subscriber.delivery().offerLive(entry.id(), frame);
            }
        });
    }
}
