package io.atelier.platform.security.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetSequenceJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.Use;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for auth-service's keys: makes an RSA signing key and an AES-256 token key at test start,
 * writes the public JWKS and the decryption JWK into a temporary folder, and points platform/security's
 * settings at them (the same {@code atelier.auth.*} keys a deployment sets). Test fields of type
 * {@link TokenForge} receive a forge holding the private halves. Declare it with
 * {@code @WithTestResource(TestTokenKeys.class)}.
 */
public class TestTokenKeys implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://atelier.test";

    private Path dir;
    private TokenForge forge;

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            KeyPair signing = rsa.generateKeyPair();
            KeyGenerator aes = KeyGenerator.getInstance("AES");
            aes.init(256);
            SecretKey encryption = aes.generateKey();
            String kid = "test-" + UUID.randomUUID();

            RsaJsonWebKey publicJwk = new RsaJsonWebKey((RSAPublicKey) signing.getPublic());
            publicJwk.setKeyId(kid);
            publicJwk.setUse(Use.SIGNATURE);
            publicJwk.setAlgorithm("RS256");
            OctetSequenceJsonWebKey encryptionJwk = new OctetSequenceJsonWebKey(encryption);

            dir = Files.createTempDirectory("atelier-token-keys");
            Path jwks = Files.writeString(dir.resolve("jwks.json"), new JsonWebKeySet(publicJwk).toJson());
            Path decryption = Files.writeString(dir.resolve("token-encryption.jwk"),
                    encryptionJwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_SYMMETRIC));

            forge = new TokenForge(ISSUER, kid, signing.getPrivate(), encryption);
            return Map.of(
                    "atelier.tokens.jwks-url", "file:" + jwks.toAbsolutePath(),
                    "atelier.tokens.issuer", ISSUER,
                    "atelier.tokens.decryption-key", "file:" + decryption.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(forge, new TestInjector.MatchesType(TokenForge.class));
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
