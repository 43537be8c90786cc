package io.atelier.auth.token;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

import io.atelier.auth.config.AuthConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.algorithm.ContentEncryptionAlgorithm;
import io.smallrye.jwt.algorithm.KeyEncryptionAlgorithm;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * Access tokens: a JWT signed RS256 with the current key ({@code kid} in the header), then encrypted
 * with A256KW + A256GCM (a nested JWT, {@code cty: JWT}). A256KW keeps decryption on every resource
 * server to one AES key unwrap instead of an RSA private-key operation per request.
 */
@ApplicationScoped
public class AccessTokens {

    public static final Set<String> USER_GROUPS = Set.of("user");

    private final AuthConfig config;
    private final TokenKeys keys;
    private final JwtConsumer consumer;
    private final MeterRegistry metrics;

    AccessTokens(AuthConfig config, TokenKeys keys, MeterRegistry metrics) {
        this.config = config;
        this.keys = keys;
        this.metrics = metrics;
        int skew = (int) config.tokens().clockSkew().toSeconds();
        this.consumer = new JwtConsumerBuilder()
                .setEnableRequireEncryption()
                .setEnableRequireIntegrity()
                .setDecryptionKey(keys.encryptionKey())
                .setJweAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                        KeyManagementAlgorithmIdentifiers.A256KW))
                .setJweContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                        ContentEncryptionAlgorithmIdentifiers.AES_256_GCM))
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256))
                .setVerificationKeyResolver((jws, nesting) -> keys.verificationKey(jws.getKeyIdHeaderValue())
                        .orElseThrow(() -> new UnresolvableKeyException("unknown kid")).publicKey())
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(config.audience())
                .setRequireSubject()
                .setRequireJwtId()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setIssuedAtRestrictions(skew, (int) config.tokens().accessTokenTtl().toSeconds() + skew)
                .setAllowedClockSkewInSeconds(skew)
                .build();
    }

    public IssuedAccessToken issue(UUID userId, String email, UUID sessionId) {
        Instant now = Instant.now();
        Instant expires = now.plus(config.tokens().accessTokenTtl());
        SigningKey key = keys.signer();
        String token = Jwt.issuer(config.issuer())
                .subject(userId.toString())
                .audience(config.audience())
                .issuedAt(now)
                .expiresAt(expires)
                .claim("jti", UUID.randomUUID().toString())
                .claim("email", email)
                .claim("sid", sessionId.toString())
                .groups(USER_GROUPS)
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.RS256)
                .innerSign(key.privateKey())
                .keyAlgorithm(KeyEncryptionAlgorithm.A256KW)
                .contentAlgorithm(ContentEncryptionAlgorithm.A256GCM)
                .keyId(keys.encryptionKid())
                .encrypt(keys.encryptionKey());
        metrics.counter("atelier.auth.tokens.issued").increment();
        return new IssuedAccessToken(token, config.tokens().accessTokenTtl().toSeconds());
    }

    /** Decrypts and verifies; any failure (format, keys, algorithms, claims, times) is an {@link InvalidTokenException}. */
    public JwtClaims verify(String token) {
        try {
            return consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            metrics.counter("atelier.auth.tokens.rejected").increment();
            throw new InvalidTokenException(e);
        }
    }

    public record IssuedAccessToken(String token, long expiresInSeconds) {
    }
}
