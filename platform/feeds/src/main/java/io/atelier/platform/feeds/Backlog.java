package io.atelier.platform.feeds;

import java.util.List;

/**
 * Where a connection's missed messages are read from when it catches up: a feed's history, a table of
 * durable messages. Blocking; called from a {@link CatchUp}'s virtual thread.
 */
@FunctionalInterface
public interface Backlog {

    /**
     * @param frames what this connection is sent of the entries read (a filter may leave out some)
     * @param last the newest entry read, sent or not: the next page is read after it
     * @param complete false when the backlog no longer holds everything after the id asked for (trimmed,
     *            or lost): the client missed something
     */
    record Page(List<ResumableDelivery.Frame> frames, FeedId last, boolean complete) {

        public Page {
            frames = List.copyOf(frames);
        }

        public boolean isEmpty() {
            return last == null;
        }
    }

    /** At most {@code limit} entries after {@code after}, oldest first; {@code last} null when there are none. */
    Page readAfter(FeedId after, int limit) throws Exception;
}
