package io.atelier.auth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import io.atelier.platform.testing.LocalSuite;

/**
 * Builds tokens the way an attacker (or a bug) would, with the service's real keys where the test
 * needs them, so each rejection is about exactly one thing. {@link #valid()} is the control: the
 * same forge produces a token the service accepts.
 */
public final class TokenForge {

    public static final String ISSUER = "http://localhost:8080";
    public static final String AUDIENCE = "atelier";

    private final String kid;
    private final RSAPrivateCrtKey signingKey;
    private final RSAPublicKey publicKey;
    private final SecretKey encryptionKey;
    private final String encryptionKid;

    public TokenForge() {
        Path secrets = LocalSuite.find().secretsDir().resolve("auth");
        try (Stream<Path> files = Files.list(secrets.resolve("signing"))) {
            Path newest = files.filter(f -> f.toString().endsWith(".pem")).sorted().reduce((a, b) -> b).orElseThrow();
            String name = newest.getFileName().toString();
            this.kid = name.substring(0, name.length() - 4);
            String pem = Files.readString(newest).replaceAll("-----(BEGIN|END) PRIVATE KEY-----|\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            this.signingKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            this.publicKey = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(signingKey.getModulus(), signingKey.getPublicExponent()));
            JsonWebKey jwk = JsonWebKey.Factory.newJwk(Files.readString(secrets.resolve("token-encryption.jwk")));
            this.encryptionKey = (SecretKey) jwk.getKey();
            this.encryptionKid = jwk.getKeyId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public JwtClaims claims(String subject) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(15);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("email", "forged@example.com");
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setStringListClaim("groups", "user");
        return claims;
    }

    public String valid() {
        return encrypt(sign(claims(UUID.randomUUID().toString()), AlgorithmIdentifiers.RSA_USING_SHA256, signingKey, kid));
    }

    public String nested(JwtClaims claims) {
        return encrypt(sign(claims, AlgorithmIdentifiers.RSA_USING_SHA256, signingKey, kid));
    }

    public String signedOnly(JwtClaims claims) {
        return sign(claims, AlgorithmIdentifiers.RSA_USING_SHA256, signingKey, kid);
    }

    public String unsignedInside(JwtClaims claims) {
        return encrypt(sign(claims, AlgorithmIdentifiers.NONE, null, kid));
    }

    /** The classic confusion: HMAC "signed" with the RSA public key as the secret. */
    public String hmacWithPublicKey(JwtClaims claims) {
        return encrypt(sign(claims, AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(publicKey.getEncoded()), kid));
    }

    public String signedByUnknownKey(JwtClaims claims) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair stranger = generator.generateKeyPair();
            return encrypt(sign(claims, AlgorithmIdentifiers.RSA_USING_SHA256, stranger.getPrivate(), "19990101T0000Z"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our signature, but encrypted with someone else's key. */
    public String encryptedWithOtherKey(JwtClaims claims) {
        byte[] other = new byte[32];
        new java.security.SecureRandom().nextBytes(other);
        return encrypt(sign(claims, AlgorithmIdentifiers.RSA_USING_SHA256, signingKey, kid),
                new SecretKeySpec(other, "AES"));
    }

    /** Flips one character of the JWE ciphertext. */
    public static String tampered(String token) {
        String[] parts = token.split("\\.");
        char[] cipher = parts[3].toCharArray();
        int i = cipher.length / 2;
        cipher[i] = cipher[i] == 'A' ? 'B' : 'A';
        parts[3] = new String(cipher);
        return String.join(".", parts);
    }

    private String sign(JwtClaims claims, String alg, java.security.Key key, String keyId) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(alg);
            jws.setKeyIdHeaderValue(keyId);
            jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
            jws.setDoKeyValidation(false);
            if (key != null) {
                jws.setKey(key);
            }
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private String encrypt(String inner) {
        return encrypt(inner, encryptionKey);
    }

    private String encrypt(String inner, SecretKey key) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setPayload(inner);
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.A256KW);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            jwe.setKeyIdHeaderValue(encryptionKid);
            jwe.setContentTypeHeaderValue("JWT");
            jwe.setKey(key);
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static NumericDate minutesFromNow(int minutes) {
        NumericDate date = NumericDate.now();
        date.addSeconds(minutes * 60L);
        return date;
    }

}
