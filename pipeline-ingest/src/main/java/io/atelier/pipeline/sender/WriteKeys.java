package io.atelier.pipeline.sender;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configured write keys, held only as SHA-256 digests. A write key is a long random secret (not a password), so
 * one fast hash suffices: nobody can guess a 128-bit key from its digest. Digests are compared in constant time.
 */
public final class WriteKeys {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, byte[]> digestBySource = new LinkedHashMap<>();

    /** @param sha256BySource source name to the hex SHA-256 of its key; a malformed entry stops the start */
    public WriteKeys(Map<String, String> sha256BySource) {
        sha256BySource.forEach((source, hex) -> {
            String digest = hex.trim().toLowerCase(Locale.ROOT);
            if (!SOURCE.matcher(source).matches()) {
                throw new IllegalArgumentException("write key source name must match " + SOURCE + ": " + source);
            }
            if (!SHA256_HEX.matcher(digest).matches()) {
                throw new IllegalArgumentException("write key of source " + source + ": sha256 must be 64 hex digits");
            }
            digestBySource.put(source, HexFormat.of().parseHex(digest));
        });
    }

    /** The source a key belongs to; empty for an unknown key. Every configured digest is compared, always. */
    public Optional<String> sourceOf(String key) {
        byte[] digest = sha256(key);
        String found = null;
        for (Map.Entry<String, byte[]> entry : digestBySource.entrySet()) {
            if (MessageDigest.isEqual(entry.getValue(), digest)) {
                found = entry.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The hex SHA-256 of a key, as configured. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
