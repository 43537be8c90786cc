package io.atelier.jobs.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature a receiver checks: {@code v1=} and the hex HMAC-SHA256, keyed with the shared secret,
 * of {@code <timestamp>.<body>} (the timestamp header's value, a dot, the raw body bytes). Signing the
 * timestamp lets a receiver refuse replays older than it tolerates.
 */
public final class Signature {

    public static final String TIMESTAMP_HEADER = "X-Atelier-Webhook-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Atelier-Webhook-Signature";
    public static final String VERSION = "v1=";

    private Signature() {
    }

    public static String sign(byte[] secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return VERSION + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** What a receiver does: recompute and compare in constant time. */
    public static boolean verify(byte[] secret, long timestamp, byte[] body, String signature) {
        return signature != null && MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
