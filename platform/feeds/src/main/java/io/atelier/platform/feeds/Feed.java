package io.atelier.platform.feeds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * A live feed shared by every replica: an ordered, bounded, deduplicated log in one Redis stream.
 * A producer {@link #append}s each event once (a redelivered event with the same dedupe key is
 * dropped); every replica tails it ({@link FeedTail}) and a reconnecting client {@link #readAfter}s the
 * last id it saw. Redis assigns the ids, so they mean the same on every replica.
 *
 * <p>Retention keeps at least {@code retainedEntries} entries (Redis trims in whole nodes of 100, so up to
 * that many more). A reader learns when it may have missed entries: those it asks after were trimmed, or
 * the stream was lost (a Redis restart without persistence) and began again. A marker entry opens every
 * new stream, so a stream that began again is told apart from one that had nothing to say. A feed nobody
 * appends to for {@link #IDLE_EXPIRY} is dropped; readers of it are then told they may have missed some.
 *
 * <p>Blocking calls: use from worker or virtual threads.
 */
public final class Feed {

    static final String GENESIS_FIELD = "_genesis";
    static final java.time.Duration IDLE_EXPIRY = java.time.Duration.ofDays(1);

    // KEYS: stream, dedupe key. ARGV: dedupe seconds, retained entries, idle expiry seconds, then field/value pairs.
    private static final LuaScript APPEND = LuaScript.of("""
            if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
              return false
            end
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('XADD', KEYS[1], '*', '_genesis', '1')
            end
            local command = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*'}
            for i = 4, #ARGV do
              command[#command + 1] = ARGV[i]
            end
            local id = redis.call(unpack(command))
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            return id
            """);

    // KEYS: stream. ARGV: after id, count. Returns {first id, entries} as one snapshot ('' when there is no
    // stream). Trimming only ever removes the oldest entries, so a reader at or past the first id held
    // missed nothing; one before it may have (the genesis marker makes a stream that began again look so).
    private static final LuaScript READ = LuaScript.of("""
            local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
            if #first == 0 then
              return {'', {}}
            end
            return {first[1][1], redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}
            """);

    private final RedisDataSource redis;
    private final String key;
    private final long retainedEntries;
    private final Duration dedupeWindow;

    Feed(RedisDataSource redis, String key, long retainedEntries, Duration dedupeWindow) {
        this.redis = redis;
        this.key = key;
        this.retainedEntries = retainedEntries;
        this.dedupeWindow = dedupeWindow;
    }

    public String key() {
        return key;
    }

    /**
     * Appends an entry unless one with the same dedupe key was appended within the dedupe window.
     *
     * @return the new entry's id; empty for a duplicate
     */
    public Optional<FeedId> append(String dedupeKey, Map<String, String> fields) {
        if (fields.isEmpty() || fields.containsKey(GENESIS_FIELD)) {
            throw new IllegalArgumentException("an entry needs fields, and not " + GENESIS_FIELD);
        }
        List<String> args = new ArrayList<>(3 + fields.size() * 2);
        args.add(Long.toString(Math.max(1, dedupeWindow.toSeconds())));
        args.add(Long.toString(retainedEntries));
        args.add(Long.toString(IDLE_EXPIRY.toSeconds()));
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        Response id = APPEND.run(redis, List.of(key, key + ":seen:" + dedupeKey), args);
        return id == null ? Optional.empty() : Optional.of(FeedId.parse(id.toString()));
    }

    /** Up to {@code count} entries after {@code after}, oldest first, and whether nothing between was lost. */
    public History readAfter(FeedId after, int count) {
        Response reply = READ.run(redis, List.of(key), List.of(after.toString(), Integer.toString(count)));
        String first = reply.get(0).toString();
        // No stream at all: nothing was appended yet, or Redis lost it; the reader cannot know which.
        boolean complete = !first.isEmpty() && !FeedId.parse(first).isAfter(after);
        return new History(entries(reply.get(1)), complete);
    }

    /** The id of the newest entry; {@link FeedId#ZERO} for an empty feed. */
    public FeedId head() {
        Response newest = redis.execute("XREVRANGE", key, "+", "-", "COUNT", "1");
        return newest == null || newest.size() == 0 ? FeedId.ZERO : FeedId.parse(newest.get(0).get(0).toString());
    }

    /** Entries of an XRANGE/XREAD reply, without the genesis marker. */
    static List<FeedEntry> entries(Response reply) {
        List<FeedEntry> entries = new ArrayList<>(reply == null ? 0 : reply.size());
        if (reply == null) {
            return entries;
        }
        for (Response entry : reply) {
            Response values = entry.get(1);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < values.size(); i += 2) {
                fields.put(values.get(i).toString(), values.get(i + 1).toString());
            }
            if (!fields.containsKey(GENESIS_FIELD)) {
                entries.add(new FeedEntry(FeedId.parse(entry.get(0).toString()), fields));
            }
        }
        return entries;
    }
}
