package io.atelier.auth.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The signing keys found in a directory at one moment, and the rotation rules over them.
 *
 * <p>A key file is {@code <kid>.pem} where the kid is the UTC time from which it may sign
 * ({@code 20261123T2000Z}). Every key is published from the moment its file exists, so dropping a
 * key in with a time some minutes ahead publishes it before it signs anything. The newest key whose
 * time has come signs. A key superseded by a newer one stays published for the access-token
 * lifetime (plus skew) after the newer one took over, then disappears from the JWKS: its tokens
 * have all expired by then. Its file can be deleted at leisure.
 */
public final class SigningKeys {

    static final DateTimeFormatter KID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private final List<SigningKey> keys; // oldest first

    private SigningKeys(List<SigningKey> keys) {
        this.keys = keys;
    }

    public static SigningKeys load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("signing key directory " + dir + " does not exist; ./atelier up creates "
                    + "local keys, production mounts them (ATELIER_AUTH_KEYS_SIGNING_DIR)");
        }
        List<SigningKey> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).toList()) {
                keys.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signing keys in " + dir, e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("no signing key (*.pem) in " + dir);
        }
        keys.sort(Comparator.comparing(SigningKey::notBefore));
        return new SigningKeys(List.copyOf(keys));
    }

    /** The key that signs at {@code now}. */
    public SigningKey signer(Instant now) {
        return current(now).orElseThrow(() -> new IllegalStateException(
                "no signing key is active yet: every key's time is in the future"));
    }

    /** The keys a verifier may meet at {@code now}: upcoming, current, and those retired less than {@code overlap} ago. */
    public List<SigningKey> published(Instant now, Duration overlap) {
        List<SigningKey> published = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            SigningKey key = keys.get(i);
            Optional<Instant> supersededAt = i + 1 < keys.size() ? Optional.of(keys.get(i + 1).notBefore()) : Optional.empty();
            boolean retiredLongAgo = supersededAt.filter(t -> !t.isAfter(now) && t.plus(overlap).isBefore(now)).isPresent();
            if (!retiredLongAgo) {
                published.add(key);
            }
        }
        return published;
    }

    public Optional<SigningKey> byKid(String kid, Instant now, Duration overlap) {
        return published(now, overlap).stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    private Optional<SigningKey> current(Instant now) {
        SigningKey current = null;
        for (SigningKey key : keys) {
            if (!key.notBefore().isAfter(now)) {
                current = key;
            }
        }
        return Optional.ofNullable(current);
    }

    private static SigningKey read(Path file) {
        String name = file.getFileName().toString();
        String kid = name.substring(0, name.length() - ".pem".length());
        Instant notBefore;
        try {
            notBefore = Instant.from(KID_TIME.parse(kid));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("signing key " + file + " must be named <yyyyMMdd'T'HHmm'Z'>.pem", e);
        }
        try {
            String pem = Files.readString(file)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            if (privateKey.getModulus().bitLength() < 2048) {
                throw new IllegalStateException("signing key " + file + " is shorter than 2048 bits");
            }
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new SigningKey(kid, notBefore, privateKey, publicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("signing key " + file + " is not a PKCS#8 PEM RSA private key", e);
        }
    }
}
