package io.atelier.content.post;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;


/**
 * The first page of everyone's newest posts, the one request every client makes, kept in memory for at
 * most a second and dropped the moment any post changes: at once for changes made on this instance
 * (after their commit), and through the notification feed for changes made on any other (within the
 * feed's few milliseconds). A client therefore always sees its own change, and everyone else's no
 * later than the feed brings it, or one second if the feed is away. Only the first page of the global
 * list is kept (one entry per {@code limit}); filtered lists and later pages always read PostgreSQL.
 * A display-name change reaches cached pages within the second.
 */
@ApplicationScoped
public class NewestPosts {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private record Entry(byte[] json, long readAtNanos, long generation) {
    }

    private final Map<Integer, Entry> pages = new ConcurrentHashMap<>();
    /** Bumped by every change: a page read before a change is never stored after it. */
    private volatile long generation;

    /**
     * The first page for {@code limit} as the JSON answer, from memory when fresh, else read by
     * {@code read} and kept. Kept serialised: writing the page's text to JSON was half the CPU of a
     * request (bench/results).
     */
    public byte[] firstPage(int limit, Supplier<byte[]> read) {
        long now = System.nanoTime();
        Entry cached = pages.get(limit);
        if (cached != null && cached.generation == generation && now - cached.readAtNanos < MAX_AGE.toNanos()) {
            return cached.json;
        }
        long before = generation;
        byte[] json = read.get();
        if (generation == before) {
            pages.put(limit, new Entry(json, now, before));
        }
        return json;
    }

    /** A post changed (here, after commit, or anywhere, from the feed): forget every kept page. */
    public void changed() {
        generation++;
        pages.clear();
    }
}
