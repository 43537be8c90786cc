package io.atelier.platform.web;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Query parameters read as text and checked here, so that a bad value is a 400 naming the parameter.
 * (Typed JAX-RS parameters answer a failed conversion with a bare 404, as the spec demands.)
 */
public final class QueryParams {

    // UUID.fromString alone accepts oddities such as "1-2-3-4-5".
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Page size: default when absent, else 1..max. */
    public static int limit(String raw, int defaultLimit, int max) {
        if (raw == null || raw.isEmpty()) {
            return defaultLimit;
        }
        if (raw.length() > 6 || !raw.chars().allMatch(Character::isDigit)) {
            throw new InvalidParameter("limit", "must be a whole number from 1 to " + max);
        }
        int limit = Integer.parseInt(raw);
        if (limit < 1 || limit > max) {
            throw new InvalidParameter("limit", "must be a whole number from 1 to " + max);
        }
        return limit;
    }

    /** An optional id: null when absent, a 400 when not a UUID. */
    public static UUID uuid(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (!UUID_TEXT.matcher(raw).matches()) {
            throw new InvalidParameter(name, "must be a UUID");
        }
        return UUID.fromString(raw);
    }

    private QueryParams() {
    }
}
