package io.atelier.platform.idempotency;

import io.atelier.platform.web.AtelierHeaders;
import io.atelier.platform.web.InvalidParameter;

/** The {@code Idempotency-Key} header's value: 1 to 255 visible ASCII characters, as the client chose them. */
public final class IdempotencyKey {

    static final int MAX_LENGTH = 255;

    private IdempotencyKey() {
    }

    /**
     * The key, null when the header is absent or empty (HTTP stacks differ on whether an empty header
     * reaches the application at all, so both mean "no key"); a 400 naming the header when it is malformed.
     */
    public static String of(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        if (header.length() > MAX_LENGTH || !header.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidParameter(AtelierHeaders.IDEMPOTENCY_KEY, "must be 1 to 255 visible ASCII characters");
        }
        return header;
    }
}
