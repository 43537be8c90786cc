package lib;

import java.time.Instant;

/** The benchmarks' clock and percentiles, so every figure is read and ranked the same way. */
public final class Latencies {

    private Latencies() {
    }

    /**
     * The wall clock in microseconds: one clock for the service and the client when both run on this machine
     * (a notification's {@code occurredAt}, a broadcast's start), which {@link System#nanoTime()} is not across processes.
     */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** Nearest-rank percentile {@code p} (100: the largest) of sorted microseconds, in ms; NaN when there are none. */
    public static double msOfMicros(long[] sortedMicros, double p) {
        return percentile(sortedMicros, p) / 1000.0;
    }

    /** The same for sorted nanoseconds. */
    public static double msOfNanos(long[] sortedNanos, double p) {
        return percentile(sortedNanos, p) / 1e6;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = p >= 100 ? sorted.length - 1
                : Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1));
        return sorted[i];
    }
}
