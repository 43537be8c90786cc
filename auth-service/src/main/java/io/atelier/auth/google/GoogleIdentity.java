package io.atelier.auth.google;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** What Atelier takes from a validated Google ID token. */
public record GoogleIdentity(String subject, String email, boolean emailVerified, String name) {

    static GoogleIdentity of(JsonWebToken idToken) {
        Object verified = idToken.getClaim("email_verified");
        return new GoogleIdentity(idToken.getSubject(), idToken.getClaim("email"),
                Boolean.TRUE.equals(verified) || "true".equals(String.valueOf(verified)), idToken.getClaim("name"));
    }
}
