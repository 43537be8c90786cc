package io.atelier.auth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A small, real OpenID Connect provider standing in for Google (which cannot be reached here):
 * discovery, authorization endpoint (state, nonce, PKCE S256), token endpoint (client secret, code
 * verifier), RS256 ID tokens and JWKS. Tests choose who signs in next, and how the provider should
 * misbehave, through {@code POST /test/next}; {@code POST /test/id-token} mints an ID token directly.
 */
public class LocalOidcProvider implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "atelier-test-client";
    public static final String CLIENT_SECRET = "local-provider-client-secret-0123456789";
    public static final String ALLOWED_REDIRECT = "http://localhost:3000/auth/callback";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private String issuer;
    private RsaJsonWebKey key;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private volatile Map<String, Object> next = Map.of();

    record Grant(String clientId, String redirectUri, String nonce, String challenge, Map<String, Object> identity) {
    }

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            key = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) pair.getPublic());
            key.setPrivateKey(pair.getPrivate());
            key.setKeyId("local-" + UUID.randomUUID());
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            issuer = "http://127.0.0.1:" + server.getAddress().getPort();
            server.createContext("/.well-known/openid-configuration", this::discovery);
            server.createContext("/authorize", this::authorize);
            server.createContext("/token", this::token);
            server.createContext("/jwks", this::jwks);
            server.createContext("/test/next", this::setNext);
            server.createContext("/test/id-token", this::mintIdToken);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.oidc.google.tenant-enabled", "true",
                "quarkus.oidc.google.auth-server-url", issuer,
                "quarkus.oidc.google.client-id", CLIENT_ID,
                "quarkus.oidc.google.credentials.secret", CLIENT_SECRET,
                "quarkus.oidc.google.authentication.state-secret", "local-provider-state-secret-0123456789abcdef",
                "atelier.auth.google.allowed-redirects", ALLOWED_REDIRECT,
                "atelier.test.oidc-provider", issuer);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        json(exchange, 200, Map.of("issuer", issuer, "authorization_endpoint", issuer + "/authorize",
                "token_endpoint", issuer + "/token", "jwks_uri", issuer + "/jwks",
                "response_types_supported", List.of("code"), "subject_types_supported", List.of("public"),
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "code_challenge_methods_supported", List.of("S256"),
                "token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post")));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        json(exchange, 200, Map.of("keys", List.of(key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))));
    }

    /** The user "consents" at once: back to the client with a code bound to nonce and PKCE challenge. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(query.get("response_type")) || !"S256".equals(query.get("code_challenge_method"))
                || query.get("code_challenge") == null || !query.getOrDefault("scope", "").contains("openid")) {
            json(exchange, 400, Map.of("error", "invalid_request"));
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(query.get("client_id"), query.get("redirect_uri"), query.get("nonce"),
                query.get("code_challenge"), next));
        String location = query.get("redirect_uri") + "?code=" + code + "&state=" + enc(query.get("state"));
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, String> client = clientCredentials(exchange, body);
        Grant grant = codes.remove(body.getOrDefault("code", ""));
        if (grant == null || !"authorization_code".equals(body.get("grant_type"))
                || !CLIENT_ID.equals(client.get("id")) || !CLIENT_SECRET.equals(client.get("secret"))
                || !grant.redirectUri().equals(body.get("redirect_uri"))
                || !grant.challenge().equals(s256(body.getOrDefault("code_verifier", "")))) {
            json(exchange, 400, Map.of("error", "invalid_grant"));
            return;
        }
        Map<String, Object> identity = new HashMap<>(grant.identity());
        identity.putIfAbsent("nonce", grant.nonce());
        json(exchange, 200, Map.of("access_token", UUID.randomUUID().toString(), "token_type", "Bearer",
                "expires_in", 3600, "id_token", idToken(identity)));
    }

    private void setNext(HttpExchange exchange) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = JSON.readValue(exchange.getRequestBody(), Map.class);
        next = Map.copyOf(identity);
        json(exchange, 200, Map.of("ok", true));
    }

    private void mintIdToken(HttpExchange exchange) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = JSON.readValue(exchange.getRequestBody(), Map.class);
        json(exchange, 200, Map.of("id_token", idToken(identity)));
    }

    /** Claims default to a verified Google user of our client; any of them can be overridden (misbehaviour). */
    private String idToken(Map<String, Object> identity) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setAudience(CLIENT_ID);
            claims.setSubject(UUID.randomUUID().toString());
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(10);
            claims.setClaim("email_verified", true);
            identity.forEach((name, value) -> {
                if (value != null) {
                    claims.setClaim(name, value);
                }
            });
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setKey(key.getPrivateKey());
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> clientCredentials(HttpExchange exchange, Map<String, String> body) {
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] idSecret = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            return Map.of("id", dec(idSecret[0]), "secret", dec(idSecret[1]));
        }
        return Map.of("id", body.getOrDefault("client_id", ""), "secret", body.getOrDefault("client_secret", ""));
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                values.put(dec(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : dec(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String dec(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

}
