package io.atelier.platform.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a keyset page ends: the sort time and id of its last row. Lists sort newest first by
 * {@code (time DESC, id DESC)}; the next page is every row strictly after this pair. Rows inserted
 * while a client walks the list sort before the cursor (they are newer), so a walk sees each row that
 * existed when it began exactly once, never a duplicate.
 *
 * <p>The text form is opaque to clients (base64url of a versioned string), so the encoding may change
 * without breaking links; anything that does not decode is a 400 naming {@code cursor}, never a 500.
 * Times are kept to the microsecond, PostgreSQL's precision: store them truncated the same way
 * ({@link #truncate(Instant)}).
 */
public record PageCursor(Instant at, UUID id) {

    public static final String PARAMETER = "cursor";
    private static final String VERSION = "1";
    private static final int MAX_ENCODED = 96;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public PageCursor {
        if (at == null || id == null) {
            throw new IllegalArgumentException("a cursor needs a time and an id");
        }
        at = truncate(at);
    }

    /** The precision every keyset column must be stored with. */
    public static Instant truncate(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        String plain = VERSION + ":" + micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor of {@code ?cursor=}; null when absent; a 400 problem when it is not one of ours. */
    public static PageCursor decode(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() > MAX_ENCODED) {
            throw invalid();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split(":", -1);
            if (parts.length != 3 || !VERSION.equals(parts[0]) || !ID.matcher(parts[2]).matches()) {
                throw invalid();
            }
            Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            if (at.isAfter(LATEST) || at.isBefore(Instant.EPOCH)) {
                throw invalid(); // no row is that new, and PostgreSQL would refuse the time outright
            }
            return new PageCursor(at, UUID.fromString(parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            throw invalid();
        }
    }

    private static InvalidParameter invalid() {
        return new InvalidParameter(PARAMETER, "is not a cursor this list gave out");
    }
}
