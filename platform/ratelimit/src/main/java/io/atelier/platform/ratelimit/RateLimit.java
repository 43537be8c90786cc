package io.atelier.platform.ratelimit;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A limit of {@code permits} per {@code period}, of which up to {@code burst} may be spent at once
 * (GCRA: one cell is earned back every {@link #emissionInterval()}). {@code name} goes into Redis keys
 * and metric tags, so it is short and plain: lower-case letters, digits, {@code .}, {@code _}, {@code -}.
 *
 * <pre>
 * RateLimit.of("login-account", 5, Duration.ofMinutes(15))            // 5 at once, then one per 3 minutes
 * RateLimit.of("event-intake", 100, Duration.ofSeconds(1)).withBurst(500)
 * </pre>
 */
public record RateLimit(String name, long permits, Duration period, long burst) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /**
     * Longest burst window ({@code burst} emission intervals) accepted: the script's arithmetic runs in
     * microseconds on Lua doubles, exact up to 2^53, and epoch microseconds already use 1.8 × 10^15 of it.
     */
    static final Duration MAX_TOLERANCE = Duration.ofDays(366);

    public RateLimit {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rate limit name must match " + NAME + ": " + name);
        }
        if (permits < 1) {
            throw new IllegalArgumentException("rate limit '" + name + "': permits must be at least 1, not " + permits);
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("rate limit '" + name + "': period must be positive, not " + period);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("rate limit '" + name + "': burst must be at least 1, not " + burst);
        }
        if (period.compareTo(MAX_TOLERANCE) > 0) {
            throw new IllegalArgumentException("rate limit '" + name + "': period must be at most " + MAX_TOLERANCE);
        }
        long interval = micros(period) / permits;
        if (interval < 1) {
            throw new IllegalArgumentException("rate limit '" + name + "': " + permits + " per " + period
                    + " is finer than one per microsecond");
        }
        if (burst > micros(MAX_TOLERANCE) / interval) {
            throw new IllegalArgumentException("rate limit '" + name + "': a burst of " + burst
                    + " spans more than " + MAX_TOLERANCE);
        }
    }

    /** {@code permits} per {@code period}, all of which may be spent at once (burst = permits). */
    public static RateLimit of(String name, long permits, Duration period) {
        return new RateLimit(name, permits, period, permits);
    }

    /** The same rate with another burst: more (or fewer) cells available at once. */
    public RateLimit withBurst(long burst) {
        return new RateLimit(name, permits, period, burst);
    }

    /** How long one cell takes to come back: {@code period / permits}, to the microsecond (rounded down). */
    public Duration emissionInterval() {
        return Duration.ofNanos(emissionIntervalMicros() * 1000);
    }

    /** How far ahead of now the theoretical arrival time may run before requests are denied: {@code burst} intervals. */
    public Duration tolerance() {
        return Duration.ofNanos(emissionIntervalMicros() * burst * 1000);
    }

    long emissionIntervalMicros() {
        return micros(period) / permits;
    }

    private static long micros(Duration duration) {
        return duration.toSeconds() * 1_000_000 + duration.toNanosPart() / 1000;
    }
}
