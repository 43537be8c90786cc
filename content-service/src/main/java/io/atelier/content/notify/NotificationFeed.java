package io.atelier.content.notify;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.atelier.content.config.ContentConfig;
import io.atelier.platform.feeds.Feed;
import io.atelier.platform.feeds.Feeds;
import io.quarkus.runtime.StartupEvent;

/**
 * The one notification feed every instance shares (Redis key {@code content-service:feed:notifications}):
 * the {@link Notifier} appends each event once, this instance's tail hands new entries to its own
 * sockets ({@link Subscribers}), and reconnecting clients replay from it.
 */
@ApplicationScoped
public class NotificationFeed {

    private final Feed feed;
    private final Feeds feeds;
    private final Subscribers subscribers;

    NotificationFeed(Feeds feeds, Subscribers subscribers, ContentConfig config) {
        this.feeds = feeds;
        this.subscribers = subscribers;
        this.feed = feeds.feed("notifications", config.notifications().retained(),
                config.notifications().dedupeWindow());
    }

    void startTail(@Observes StartupEvent started) {
        feeds.tail(feed, subscribers::dispatch);
    }

    public Feed feed() {
        return feed;
    }
}
