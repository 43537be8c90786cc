package io.atelier.platform.feeds;

import java.util.List;

/**
 * Entries after a given id, oldest first. {@code complete} is false when the feed can no longer prove it
 * holds everything after that id: entries were trimmed by retention, or the stream was lost (a Redis
 * restart without persistence) and began again. The client then missed something and should reload.
 */
public record History(List<FeedEntry> entries, boolean complete) {

    public History {
        entries = List.copyOf(entries);
    }
}
