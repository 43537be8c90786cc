package io.atelier.pipeline.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Plain JUnit: write keys held as digests, and Basic credentials read as a key. */
class WriteKeysTest {

    @Test
    void aKeyIsKnownByItsDigestOnly() {
        WriteKeys keys = new WriteKeys(Map.of("web", WriteKeys.sha256Hex("secret-web"), "ios",
                WriteKeys.sha256Hex("secret-ios").toUpperCase()));
        assertThat(keys.sourceOf("secret-web")).contains("web");
        assertThat(keys.sourceOf("secret-ios")).contains("ios");
        assertThat(keys.sourceOf("secret-web ")).isEmpty();
        assertThat(keys.sourceOf("")).isEmpty();
    }

    @Test
    void aMalformedDigestOrSourceStopsTheStart() {
        assertThatThrownBy(() -> new WriteKeys(Map.of("web", "abc"))).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> new WriteKeys(Map.of("we b", WriteKeys.sha256Hex("k")))).hasMessageContaining("source name");
    }

    @Test
    void basicCredentialsCarryTheKeyAsUserName() {
        assertThat(WriteKeyMechanism.key("Basic " + base64("key123:"))).isEqualTo("key123");
        assertThat(WriteKeyMechanism.key("Basic " + base64("key123"))).isEqualTo("key123");
        assertThat(WriteKeyMechanism.key("basic " + base64("key123:ignored"))).isEqualTo("key123");
        assertThat(WriteKeyMechanism.key("Basic " + base64(":password"))).isNull();
        assertThat(WriteKeyMechanism.key("Basic not*base64")).isNull();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
