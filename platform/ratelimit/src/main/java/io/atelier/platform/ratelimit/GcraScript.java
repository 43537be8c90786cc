package io.atelier.platform.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import io.vertx.mutiny.redis.client.Response;

/**
 * The generic cell rate algorithm as one Redis script: read, decide and write happen atomically in
 * Redis, so concurrent requests from any number of replicas can never spend more cells than the burst.
 * This script is the only implementation of the decision; the Java side only passes numbers in and out.
 *
 * <p>The key holds the subject's theoretical arrival time (TAT) in epoch microseconds: the moment at
 * which it would owe nothing. A request of {@code cost} cells pushes it {@code cost} emission intervals
 * further; it is allowed while the pushed TAT stays within {@code burst} intervals of now. The key expires
 * when its TAT passes, because an absent key and a TAT in the past mean the same thing.
 */
final class GcraScript {

    enum Mode {
        /** Take the cells when they fit. */
        ACQUIRE,
        /** Would they fit? Changes nothing. */
        PEEK,
        /** Give cells back; the TAT never moves before now. */
        REFUND
    }

    // ARGV[1] is now in epoch milliseconds from the caller's Clock: the app's time decides, so tests can
    // move it. Everything else is microseconds: fine enough for thousands of permits per second and still
    // exact in Lua's doubles (integers up to 2^53).
    static final String SOURCE = """
            local now = tonumber(ARGV[1]) * 1000
            local interval = tonumber(ARGV[2])
            local burst = tonumber(ARGV[3])
            local cost = tonumber(ARGV[4])
            local mode = ARGV[5]
            local tolerance = interval * burst

            local tat = now
            local stored = redis.call('GET', KEYS[1])
            if stored then
              tat = math.max(tonumber(stored), now)
            end

            local function save(value)
              if value > now then
                redis.call('SET', KEYS[1], string.format('%d', value),
                  'PX', string.format('%d', math.ceil((value - now) / 1000)))
              else
                redis.call('DEL', KEYS[1])
              end
            end

            local function remaining(value)
              return math.floor((tolerance - (value - now)) / interval)
            end

            if mode == 'refund' then
              local refunded = math.max(tat - interval * cost, now)
              save(refunded)
              return {1, remaining(refunded), 0, refunded - now}
            end
            if mode ~= 'acquire' and mode ~= 'peek' then
              return redis.error_reply('unknown mode ' .. tostring(mode))
            end

            local new_tat = tat + interval * cost
            local allow_at = new_tat - tolerance
            if allow_at > now then
              return {0, remaining(tat), allow_at - now, tat - now}
            end
            if mode == 'peek' then
              return {1, remaining(tat), 0, tat - now}
            end
            save(new_tat)
            return {1, remaining(new_tat), 0, new_tat - now}
            """;

    static final String SHA1 = sha1(SOURCE);

    private GcraScript() {
    }

    /** The arguments after the script (or its SHA1): key count, key, then ARGV. */
    static String[] arguments(String key, RateLimit limit, long nowMillis, long cost, Mode mode) {
        return new String[] { "1", key, Long.toString(nowMillis), Long.toString(limit.emissionIntervalMicros()),
                Long.toString(limit.burst()), Long.toString(cost), mode.name().toLowerCase(Locale.ROOT) };
    }

    static Decision decision(Response reply) {
        return new Decision(reply.get(0).toLong() == 1, reply.get(1).toLong(), micros(reply.get(2).toLong()),
                micros(reply.get(3).toLong()), false);
    }

    private static Duration micros(long micros) {
        return Duration.ofNanos(micros * 1000);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
