package io.atelier.platform.feeds;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * One replica's reader of a feed: a thread of its own waits in {@code XREAD BLOCK} and hands every new
 * entry, in order, to a listener. The listener runs on that thread and must not block (hand the entry to
 * bounded queues and return). When Redis is away it retries with backoff and goes on from the last id it
 * delivered, so a blip loses nothing that is still in the stream.
 */
public final class FeedTail implements AutoCloseable {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final RedisDataSource redis;
    private final Feed feed;
    private final Consumer<FeedEntry> listener;
    private final Duration block;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile FeedId position;

    FeedTail(RedisDataSource redis, Feed feed, Consumer<FeedEntry> listener, Duration block) {
        this.redis = redis;
        this.feed = feed;
        this.listener = listener;
        this.block = block;
        this.thread = Thread.ofPlatform().daemon().name("feed-tail-" + feed.key()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** The id of the last entry this tail has seen; null before it first reached Redis. */
    public FeedId position() {
        return position;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(250);
        boolean failing = false;
        while (running) {
            try {
                if (position == null) {
                    position = feed.head(); // live from now; history is for readers that ask for it
                }
                Response reply = redis.execute("XREAD", "COUNT", "512", "BLOCK", Long.toString(block.toMillis()),
                        "STREAMS", feed.key(), position.toString());
                if (failing) {
                    Log.infof("feed %s: Redis answers again; tailing from %s", feed.key(), position);
                    failing = false;
                }
                backoff = Duration.ofMillis(250);
                Response entries = entriesOf(reply);
                if (entries == null) {
                    continue;
                }
                for (FeedEntry entry : Feed.entries(entries)) {
                    deliver(entry);
                }
                position = newest(entries, position);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failing) {
                    Log.warnf("feed %s: cannot read from Redis (%s); retrying from %s", feed.key(), e.getMessage(),
                            position);
                    failing = true;
                }
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void deliver(FeedEntry entry) {
        try {
            listener.accept(entry);
        } catch (RuntimeException e) {
            Log.errorf(e, "feed %s: listener failed on entry %s", feed.key(), entry.id());
        }
    }

    /** The entry list of an XREAD reply for our one stream (RESP2 array or RESP3 map); null when none came. */
    private Response entriesOf(Response reply) {
        if (reply == null || reply.size() == 0) {
            return null;
        }
        if (!reply.getDelegate().isMap()) {
            return reply.get(0).get(1); // RESP2: [[key, entries]]
        }
        return reply.get(feed.key()); // RESP3: {key: entries}
    }

    private static FeedId newest(Response entries, FeedId current) {
        FeedId newest = current;
        for (Response entry : entries) {
            FeedId id = FeedId.parse(entry.get(0).toString());
            if (id.isAfter(newest)) {
                newest = id;
            }
        }
        return newest;
    }

    private static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(block.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
