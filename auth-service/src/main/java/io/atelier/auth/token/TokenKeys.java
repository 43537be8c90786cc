package io.atelier.auth.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

import io.atelier.auth.config.AuthConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/** The current signing key ring and the token encryption key, re-read from their files periodically. */
@ApplicationScoped
public class TokenKeys {

    private final AuthConfig config;
    private final SecretKey encryptionKey;
    private final String encryptionKid;
    private volatile SigningKeys signing;

    TokenKeys(AuthConfig config) {
        this.config = config;
        this.signing = SigningKeys.load(config.keys().signingDir());
        JsonWebKey jwk = readEncryptionKey();
        this.encryptionKey = (SecretKey) jwk.getKey();
        this.encryptionKid = jwk.getKeyId();
        if (encryptionKey.getEncoded().length != 32) {
            throw new IllegalStateException("token encryption key must be 256 bits (A256KW)");
        }
    }

    @Scheduled(every = "${atelier.auth.keys.reload-interval}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void reload() {
        try {
            signing = SigningKeys.load(config.keys().signingDir());
        } catch (RuntimeException e) {
            Log.errorf("signing keys not reloaded, keeping the previous ones: %s", e.getMessage());
        }
    }

    public SigningKey signer() {
        return signing.signer(Instant.now());
    }

    /** Keys a token in circulation may carry: retired ones stay until their last token expired. */
    public List<SigningKey> published() {
        return signing.published(Instant.now(), overlap());
    }

    public java.util.Optional<SigningKey> verificationKey(String kid) {
        return signing.byKid(kid, Instant.now(), overlap());
    }

    public SecretKey encryptionKey() {
        return encryptionKey;
    }

    public String encryptionKid() {
        return encryptionKid;
    }

    private Duration overlap() {
        return config.tokens().accessTokenTtl().plus(config.tokens().clockSkew());
    }

    private JsonWebKey readEncryptionKey() {
        var file = config.keys().encryptionKey();
        try {
            String json = Files.readString(file);
            List<JsonWebKey> keys = json.contains("\"keys\"") ? new JsonWebKeySet(json).getJsonWebKeys()
                    : List.of(JsonWebKey.Factory.newJwk(json));
            if (keys.size() != 1 || !"oct".equals(keys.get(0).getKeyType())) {
                throw new IllegalStateException("token encryption key file " + file + " must hold one 'oct' JWK");
            }
            return keys.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token encryption key " + file
                    + " (ATELIER_AUTH_KEYS_ENCRYPTION_KEY); ./atelier up creates a local one", e);
        } catch (JoseException e) {
            throw new IllegalStateException("token encryption key " + file + " is not a JWK", e);
        }
    }
}
