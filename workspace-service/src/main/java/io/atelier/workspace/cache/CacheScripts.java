package io.atelier.workspace.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cache's Redis scripts. Each cached thing is a hash (its entries) beside a generation key (a random
 * token). Readers read the generation before they query PostgreSQL and store only while it is unchanged;
 * writers, after their commit, replace the generation and delete the hash in one step. So an entry read
 * from PostgreSQL before a commit can never be stored after that commit's invalidation.
 */
final class CacheScripts {

    /**
     * KEYS: hash, generation. ARGV: a fresh generation token, its TTL in ms, the field whose presence means
     * "cached", the field to answer. Returns {1, value or nil} when cached, else {0, generation}, creating
     * the generation when there is none.
     */
    static final Script READ = new Script("""
            local found = redis.call('HMGET', KEYS[1], ARGV[3], ARGV[4])
            if found[1] then
              return {1, found[2]}
            end
            redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2])
            return {0, redis.call('GET', KEYS[2])}
            """);

    /**
     * KEYS: hash, generation. ARGV: the generation the reader saw, TTL in ms, the most fields the hash may
     * hold (0: no bound), then field/value pairs. Stores only while the generation is the reader's; the hash
     * expires TTL after its first entry, so no entry lives longer than TTL. Returns 1 when stored.
     */
    static final Script STORE = new Script("""
            if redis.call('GET', KEYS[2]) ~= ARGV[1] then
              return 0
            end
            local max = tonumber(ARGV[3])
            if max > 0 and redis.call('HLEN', KEYS[1]) >= max and redis.call('HEXISTS', KEYS[1], ARGV[4]) == 0 then
              return 0
            end
            for i = 4, #ARGV, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            if redis.call('PTTL', KEYS[1]) < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 1
            """);

    /**
     * KEYS: generation, hash, generation, hash, ... ARGV: a fresh generation token, its TTL in ms. Replaces
     * each generation and deletes each hash. Returns the number of pairs.
     */
    static final Script INVALIDATE = new Script("""
            for i = 1, #KEYS, 2 do
              redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
              redis.call('DEL', KEYS[i + 1])
            end
            return #KEYS / 2
            """);

    private CacheScripts() {
    }

    record Script(String source, String sha1) {

        Script(String source) {
            this(source, sha1(source));
        }

        private static String sha1(String source) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
