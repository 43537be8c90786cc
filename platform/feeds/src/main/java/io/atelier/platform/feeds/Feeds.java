package io.atelier.platform.feeds;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Makes feeds and their tails. Keys are {@code <quarkus.application.name>:feed:<name>}, so every
 * replica of a service shares its feeds and no other service touches them.
 */
@ApplicationScoped
public class Feeds {

    private final RedisDataSource redis;
    private final String prefix;
    private final List<FeedTail> tails = new CopyOnWriteArrayList<>();

    Feeds(RedisDataSource redis, @ConfigProperty(name = "quarkus.application.name") String application) {
        this.redis = redis;
        this.prefix = application + ":feed:";
    }

    /**
     * @param retainedEntries about how many entries the feed keeps for readers that resume
     * @param dedupeWindow how long an appended dedupe key refuses a second append (cover redelivery)
     */
    public Feed feed(String name, long retainedEntries, Duration dedupeWindow) {
        if (!name.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("a feed name is lower-case letters, digits and '-': " + name);
        }
        if (retainedEntries < 1) {
            throw new IllegalArgumentException("a feed retains at least one entry");
        }
        return new Feed(redis, prefix + name, retainedEntries, dedupeWindow);
    }

    /** Starts a tail that hands each entry appended from now on to {@code listener}; stopped at shutdown. */
    public FeedTail tail(Feed feed, Consumer<FeedEntry> listener) {
        FeedTail tail = new FeedTail(redis, feed, listener, Duration.ofSeconds(1));
        tails.add(tail);
        tail.start();
        return tail;
    }

    /** At shutdown, before the Redis client closes under them. */
    void stopTails(@Observes ShutdownEvent shutdown) {
        tails.forEach(FeedTail::close);
    }
}
