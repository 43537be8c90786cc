package io.atelier.auth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation rules over key files, on explicit clocks. */
class SigningKeysTest {

    static final Duration OVERLAP = Duration.ofMinutes(15).plusSeconds(30);
    static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");

    @TempDir
    Path dir;

    @Test
    void newKeyIsPublishedBeforeItSignsAndTheOldOneStaysUntilItsTokensExpired() throws Exception {
        writeKey("20261123T2000Z");
        writeKey("20261123T2100Z"); // dropped in ahead of its time
        SigningKeys keys = SigningKeys.load(dir);

        Instant beforeSwitch = Instant.parse("2026-11-23T20:30:00Z");
        assertThat(keys.signer(beforeSwitch).kid()).isEqualTo("20261123T2000Z");
        assertThat(kids(keys, beforeSwitch)).containsExactly("20261123T2000Z", "20261123T2100Z");

        Instant afterSwitch = Instant.parse("2026-11-23T21:05:00Z");
        assertThat(keys.signer(afterSwitch).kid()).isEqualTo("20261123T2100Z");
        assertThat(kids(keys, afterSwitch)).containsExactly("20261123T2000Z", "20261123T2100Z");

        Instant oldTokensExpired = Instant.parse("2026-11-23T21:16:00Z");
        assertThat(kids(keys, oldTokensExpired)).containsExactly("20261123T2100Z");
        assertThat(keys.byKid("20261123T2000Z", oldTokensExpired, OVERLAP)).isEmpty();
    }

    @Test
    void aKeyWhoseTimeHasNotComeNeverSigns() throws Exception {
        writeKey("20261124T0000Z");
        SigningKeys keys = SigningKeys.load(dir);
        assertThat(kids(keys, T0)).containsExactly("20261124T0000Z");
        assertThatThrownBy(() -> keys.signer(T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badKeyFilesAreRefusedWithTheirName() throws Exception {
        Files.writeString(dir.resolve("current.pem"), "x");
        assertThatThrownBy(() -> SigningKeys.load(dir)).hasMessageContaining("current.pem");
    }

    @Test
    void shortKeysAreRefused() throws Exception {
        writeKey("20261123T2000Z", 1024);
        assertThatThrownBy(() -> SigningKeys.load(dir)).hasMessageContaining("2048");
    }

    @Test
    void emptyOrMissingDirectoryIsRefused() {
        assertThatThrownBy(() -> SigningKeys.load(dir)).hasMessageContaining("no signing key");
        assertThatThrownBy(() -> SigningKeys.load(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }

    private java.util.List<String> kids(SigningKeys keys, Instant now) {
        return keys.published(now, OVERLAP).stream().map(SigningKey::kid).toList();
    }

    private void writeKey(String kid) throws IOException, NoSuchAlgorithmException {
        writeKey(kid, 2048);
    }

    private void writeKey(String kid, int bits) throws IOException, NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(dir.resolve(kid + ".pem"), pem);
    }
}
