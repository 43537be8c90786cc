package io.atelier.auth.token;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;

import io.atelier.auth.config.AuthConfig;
import io.smallrye.common.annotation.NonBlocking;

/** Public key discovery for resource servers. */
@Path("/.well-known")
@Produces(MediaType.APPLICATION_JSON)
@NonBlocking
public class WellKnownResource {

    private static final CacheControl FIVE_MINUTES = CacheControl.valueOf("public, max-age=300");

    private final TokenKeys keys;
    private final AuthConfig config;

    WellKnownResource(TokenKeys keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @GET
    @Path("jwks.json")
    public Response jwks() {
        List<Map<String, Object>> published = keys.published().stream().map(key -> {
            RsaJsonWebKey jwk = new RsaJsonWebKey(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        }).toList();
        return Response.ok(Map.of("keys", published)).cacheControl(FIVE_MINUTES).build();
    }

    @GET
    @Path("openid-configuration")
    public Response openidConfiguration() {
        String issuer = config.issuer();
        return Response.ok(Map.of(
                "issuer", issuer,
                "jwks_uri", issuer + "/.well-known/jwks.json",
                "id_token_signing_alg_values_supported", List.of(AlgorithmIdentifiers.RSA_USING_SHA256),
                "token_endpoint_auth_methods_supported", List.of("none"),
                "subject_types_supported", List.of("public"),
                "response_types_supported", List.of("token"),
                "claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "jti", "email", "groups", "sid")))
                .cacheControl(FIVE_MINUTES).build();
    }
}
