package io.atelier.auth.support;

/**
 * Hashes of {@link Api#PASSWORD} made by other implementations, so tests prove that hashes written
 * elsewhere verify here. Made with the reference Argon2 CLI ({@code argon2 'atelier-salt-16b' -id -e},
 * Debian package argon2) and with libxcrypt's bcrypt (Python's {@code crypt} on Debian 12).
 */
public final class ReferenceHashes {

    /** m=19456, t=2, p=1: the parameters auth-service uses today. */
    public static final String ARGON2ID_CURRENT =
            "$argon2id$v=19$m=19456,t=2,p=1$YXRlbGllci1zYWx0LTE2Yg$CGFYnqgqAS/dPJhZ4o4QEBKy3K7MPxvgIOoUoFkz+nQ";

    /** m=4096, t=1: weaker than today's, to be upgraded at the next login. */
    public static final String ARGON2ID_WEAK =
            "$argon2id$v=19$m=4096,t=1,p=1$YXRlbGllci1zYWx0LTE2Yg$wBVZFEAn0zU5oo3VL4yAS5eaA2QGNCOH8tifKK1EBKw";

    /** bcrypt cost 10, as an account imported from an older system would carry. */
    public static final String BCRYPT = "$2b$10$9yAjdC9wcwEc5nHHtfWvI.Hhy5EUAYuLiI5HfEPnVcTNNIxke7guG";

    private ReferenceHashes() {
    }
}
