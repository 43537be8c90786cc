package io.atelier.auth.token;

import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;
import java.util.function.Function;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.TokenForge;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class TokenVerificationTest {

    final Api api = new Api();
    final TokenForge forge = new TokenForge();

    @Test
    void verifyDescribesAValidToken() {
        Api.Session session = api.signup();
        api.bearer(session.accessToken()).get("/api/v1/auth/verify").then().statusCode(200)
                .body("active", equalTo(true)).body("sub", equalTo(session.userId()))
                .body("email", equalTo(session.email()));
    }

    @Test
    void forgeControlTokenIsAccepted() {
        // Proves the forge builds tokens the service accepts, so each rejection below is about one defect.
        api.bearer(forge.valid()).get("/api/v1/auth/verify").then().statusCode(200).body("active", equalTo(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alg-none", "hs256-with-public-key", "expired", "not-yet-valid", "issued-in-the-future",
            "wrong-issuer", "wrong-audience", "unknown-kid", "tampered-jwe", "signed-not-encrypted",
            "encrypted-with-other-key", "no-subject", "garbage"})
    void badTokensAreRejectedEverywhere(String kind) {
        String token = bad(kind);
        api.bearer(token).get("/api/v1/auth/verify").then().statusCode(401)
                .contentType("application/problem+json").body("active", equalTo(false))
                .header("WWW-Authenticate", "Bearer realm=\"atelier\", error=\"invalid_token\"");
        api.bearer(token).get("/api/v1/auth/me").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void missingOrNonBearerAuthorizationIsInactive() {
        api.request().get("/api/v1/auth/verify").then().statusCode(401).body("active", equalTo(false));
        api.request().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/v1/auth/verify").then().statusCode(401)
                .body("active", equalTo(false));
    }

    private String bad(String kind) {
        String subject = UUID.randomUUID().toString();
        Function<Function<JwtClaims, JwtClaims>, String> nested = change -> forge.nested(change.apply(forge.claims(subject)));
        return switch (kind) {
            case "alg-none" -> forge.unsignedInside(forge.claims(subject));
            case "hs256-with-public-key" -> forge.hmacWithPublicKey(forge.claims(subject));
            case "expired" -> nested.apply(c -> {
                c.setIssuedAt(TokenForge.minutesFromNow(-30));
                c.setExpirationTime(TokenForge.minutesFromNow(-10));
                return c;
            });
            case "not-yet-valid" -> nested.apply(c -> {
                c.setNotBefore(TokenForge.minutesFromNow(10));
                return c;
            });
            case "issued-in-the-future" -> nested.apply(c -> {
                c.setIssuedAt(TokenForge.minutesFromNow(10));
                c.setExpirationTime(TokenForge.minutesFromNow(25));
                return c;
            });
            case "wrong-issuer" -> nested.apply(c -> {
                c.setIssuer("https://evil.example");
                return c;
            });
            case "wrong-audience" -> nested.apply(c -> {
                c.setAudience("someone-else");
                return c;
            });
            case "unknown-kid" -> forge.signedByUnknownKey(forge.claims(subject));
            case "tampered-jwe" -> TokenForge.tampered(forge.valid());
            case "signed-not-encrypted" -> forge.signedOnly(forge.claims(subject));
            case "encrypted-with-other-key" -> forge.encryptedWithOtherKey(forge.claims(subject));
            case "no-subject" -> nested.apply(c -> {
                c.unsetClaim("sub");
                return c;
            });
            case "garbage" -> "not.a.token.at.all";
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
