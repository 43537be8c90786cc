package io.atelier.platform.feeds;

import java.util.Map;

/** One entry of a feed: its id and the fields it was appended with. */
public record FeedEntry(FeedId id, Map<String, String> fields) {

    public FeedEntry {
        fields = Map.copyOf(fields);
    }

    public String field(String name) {
        return fields.get(name);
    }
}
