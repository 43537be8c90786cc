import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * What a resource server pays per request to open and check an Atelier access token (decrypt +
 * RS256 verify + claim checks, jose4j as smallrye-jwt uses it), for the chosen key management
 * (A256KW) and the asymmetric alternatives. Single thread. Run by bench/auth/run.sh.
 * Usage: java -cp <jose4j.jar>:<slf4j-api.jar> TokenCost.java <seconds per variant>
 */
public class TokenCost {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair signing = rsa.generateKeyPair();
        KeyPair rsaEnc = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ecEnc = ec.generateKeyPair();
        byte[] aes = new byte[32];
        new SecureRandom().nextBytes(aes);
        var aesKey = new SecretKeySpec(aes, "AES");

        String signed = sign(signing);
        run("A256KW + A256GCM (chosen)", nested(signed, KeyManagementAlgorithmIdentifiers.A256KW, aesKey), aesKey,
                KeyManagementAlgorithmIdentifiers.A256KW, signing, seconds);
        run("RSA-OAEP-256 + A256GCM", nested(signed, KeyManagementAlgorithmIdentifiers.RSA_OAEP_256, rsaEnc.getPublic()),
                rsaEnc.getPrivate(), KeyManagementAlgorithmIdentifiers.RSA_OAEP_256, signing, seconds);
        run("ECDH-ES+A256KW (P-256) + A256GCM", nested(signed, KeyManagementAlgorithmIdentifiers.ECDH_ES_A256KW, ecEnc.getPublic()),
                ecEnc.getPrivate(), KeyManagementAlgorithmIdentifiers.ECDH_ES_A256KW, signing, seconds);
        run("RS256 only, no encryption (reference)", signed, null, null, signing, seconds);
    }

    static String sign(KeyPair signing) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://localhost:8080");
        claims.setAudience("atelier");
        claims.setSubject(UUID.randomUUID().toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(15);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("email", "bench@example.com");
        claims.setStringListClaim("groups", "user");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue("k1");
        jws.setKey(signing.getPrivate());
        return jws.getCompactSerialization();
    }

    static String nested(String signed, String alg, Key key) throws Exception {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setPayload(signed);
        jwe.setAlgorithmHeaderValue(alg);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setContentTypeHeaderValue("JWT");
        jwe.setKey(key);
        return jwe.getCompactSerialization();
    }

    static void run(String name, String token, Key decryptionKey, String alg, KeyPair signing, int seconds) throws Exception {
        JwtConsumerBuilder builder = new JwtConsumerBuilder().setExpectedIssuer("http://localhost:8080")
                .setExpectedAudience("atelier").setRequireExpirationTime().setRequireSubject()
                .setVerificationKey(signing.getPublic())
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256));
        if (decryptionKey != null) {
            builder.setDecryptionKey(decryptionKey).setEnableRequireEncryption()
                    .setJweAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg));
        }
        JwtConsumer consumer = builder.build();
        for (int i = 0; i < 2_000; i++) {
            consumer.processToClaims(token); // warm-up
        }
        long n = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            consumer.processToClaims(token);
            n++;
        }
        double micros = (System.nanoTime() - start) / 1_000.0 / n;
        System.out.printf("token_cost variant=\"%s\" per_token_us=%.1f tokens_per_second_one_core=%.0f%n", name, micros, 1e6 / micros);
    }
}
