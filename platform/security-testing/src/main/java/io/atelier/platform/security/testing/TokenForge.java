package io.atelier.platform.security.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import io.smallrye.jwt.algorithm.ContentEncryptionAlgorithm;
import io.smallrye.jwt.algorithm.KeyEncryptionAlgorithm;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Makes access tokens shaped like auth-service's (RS256 inside A256KW + A256GCM, same claims) with the
 * keys {@link TestTokenKeys} published to the app under test, and the broken variants a test needs to
 * prove each refusal is about exactly one thing. Injected into test fields of this type by
 * {@link TestTokenKeys}.
 */
public final class TokenForge {

    public static final String AUDIENCE = "atelier";

    private final String issuer;
    private final String kid;
    private final PrivateKey signingKey;
    private final SecretKey encryptionKey;

    TokenForge(String issuer, String kid, PrivateKey signingKey, SecretKey encryptionKey) {
        this.issuer = issuer;
        this.kid = kid;
        this.signingKey = signingKey;
        this.encryptionKey = encryptionKey;
    }

    public String issuer() {
        return issuer;
    }

    /** auth-service's claims for {@code subject}: 15 minutes, a fresh jti and sid, group {@code user}. */
    public JwtClaimsBuilder claims(UUID subject) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Jwt.claims()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(subject.toString())
                .issuedAt(now)
                .expiresAt(now.plus(15, ChronoUnit.MINUTES))
                .claim("jti", UUID.randomUUID().toString())
                .claim("email", "user-" + subject + "@example.com")
                .claim("sid", UUID.randomUUID().toString())
                .groups(Set.of("user"));
    }

    /** A token the app accepts, for a new random user. */
    public String valid() {
        return nested(claims(UUID.randomUUID()));
    }

    /** Signed with the published key, then encrypted with the app's decryption key. */
    public String nested(JwtClaimsBuilder claims) {
        return encrypt(claims, signingKey, encryptionKey);
    }

    /** Same kid, but signed by a key the JWKS does not hold. */
    public String signedByStranger(JwtClaimsBuilder claims) {
        return encrypt(claims, strangerRsaKey(), encryptionKey);
    }

    /** Our signature, wrapped with an AES key the app does not have. */
    public String encryptedForStranger(JwtClaimsBuilder claims) {
        return encrypt(claims, signingKey, strangerAesKey());
    }

    /** A correctly signed JWT without the JWE around it. */
    public String signedOnly(JwtClaimsBuilder claims) {
        return claims.jws().keyId(kid).algorithm(SignatureAlgorithm.RS256).sign(signingKey);
    }

    private String encrypt(JwtClaimsBuilder claims, PrivateKey signWith, SecretKey encryptWith) {
        return claims.jws().keyId(kid).algorithm(SignatureAlgorithm.RS256)
                .innerSign(signWith)
                .keyAlgorithm(KeyEncryptionAlgorithm.A256KW)
                .contentAlgorithm(ContentEncryptionAlgorithm.A256GCM)
                .encrypt(encryptWith);
    }

    private static PrivateKey strangerRsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretKey strangerAesKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
