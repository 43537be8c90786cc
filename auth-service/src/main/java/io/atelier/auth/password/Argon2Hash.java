package io.atelier.auth.password;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id hash as a PHC string, {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} with
 * unpadded standard Base64: the format of the reference implementation, so its parameters travel
 * with it and hashes move freely between libraries.
 */
record Argon2Hash(int version, int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=(\\d{1,3})\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{11,128})");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    /** Empty for anything that is not a well-formed Argon2id PHC string. */
    static Optional<Argon2Hash> parse(String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Argon2Hash(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    DECODER.decode(m.group(5)), DECODER.decode(m.group(6))));
        } catch (IllegalArgumentException e) { // Base64 with a stray length
            return Optional.empty();
        }
    }

    String encode() {
        return "$argon2id$v=" + version + "$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** These parameters with another salt and hash (the hash may be a placeholder that only gives the length). */
    Argon2Hash with(byte[] salt, byte[] hash) {
        return new Argon2Hash(version, memoryKiB, iterations, parallelism, salt, hash);
    }

    boolean sameParametersAs(Argon2Hash other) {
        return version == other.version && memoryKiB == other.memoryKiB && iterations == other.iterations
                && parallelism == other.parallelism && salt.length == other.salt.length && hash.length == other.hash.length;
    }
}
