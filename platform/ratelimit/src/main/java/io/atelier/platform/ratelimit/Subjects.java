package io.atelier.platform.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Helpers for rate-limit subjects. */
public final class Subjects {

    private Subjects() {
    }

    /**
     * A stable stand-in for a subject that must not sit in Redis in clear (an email address): the first
     * 128 bits of its SHA-256, in hex. Normalise the value (e.g. lower-case the email) before hashing.
     */
    public static String hashed(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
