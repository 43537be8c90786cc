package io.atelier.auth.token;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

/** One RS256 key pair; the private half never leaves this service. */
public record SigningKey(String kid, Instant notBefore, RSAPrivateKey privateKey, RSAPublicKey publicKey) {

    @Override
    public String toString() {
        return "SigningKey[" + kid + "]";
    }
}
