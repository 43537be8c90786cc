package io.atelier.platform.feeds;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a feed: the Redis stream entry id {@code <millis>-<sequence>}. Ids only grow, on every
 * replica alike, so a client may resume on any of them from the last id it saw.
 */
public record FeedId(long millis, long sequence) implements Comparable<FeedId> {

    /** Before every entry. */
    public static final FeedId ZERO = new FeedId(0, 0);

    private static final Pattern TEXT = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

    public FeedId {
        if (millis < 0 || sequence < 0) {
            throw new IllegalArgumentException("feed ids are not negative");
        }
    }

    /** Parses {@code <millis>-<sequence>}; anything else (or out of range) is an IllegalArgumentException. */
    public static FeedId parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a feed id");
        }
        try {
            return new FeedId(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a feed id", e);
        }
    }

    public boolean isAfter(FeedId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(FeedId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
