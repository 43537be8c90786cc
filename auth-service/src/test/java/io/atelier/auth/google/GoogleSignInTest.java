package io.atelier.auth.google;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The browser flow, step by step, against the local OIDC provider standing in for Google. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class GoogleSignInTest {

    @ConfigProperty(name = "atelier.test.oidc-provider")
    String provider;

    final Api api = new Api();

    @Test
    void codeFlowCreatesAnAccountAndReturnsTokensInTheFragment() {
        String email = "g-" + UUID.randomUUID() + "@gmail.example";
        nextSignIn(Map.of("sub", "google-" + UUID.randomUUID(), "email", email, "name", "Grace Hopper"));

        Response start = get("/api/v1/auth/google?redirect_uri=" + LocalOidcProvider.ALLOWED_REDIRECT, Map.of());
        assertThat(start.statusCode()).isEqualTo(302);
        String authorize = start.header("Location");
        assertThat(authorize).startsWith(provider + "/authorize").contains("state=").contains("nonce=")
                .contains("code_challenge=").contains("code_challenge_method=S256").contains("scope=openid");

        Response done = completeFlow(start, authorize);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.header("Cache-Control")).isEqualTo("no-store"); // tokens in the Location: never cached
        Map<String, String> fragment = fragment(done.header("Location"));
        assertThat(done.header("Location")).startsWith(LocalOidcProvider.ALLOWED_REDIRECT + "#");
        assertThat(fragment).containsKeys("access_token", "refresh_token").containsEntry("token_type", "Bearer");
        api.bearer(fragment.get("access_token")).get("/api/v1/auth/me").then().statusCode(200)
                .body("email", equalTo(email)).body("displayName", equalTo("Grace Hopper"));
    }

    @Test
    void withoutRedirectUriTheTokensComeAsJson() {
        nextSignIn(Map.of("sub", "google-" + UUID.randomUUID(), "email", "g-" + UUID.randomUUID() + "@gmail.example"));
        Response start = get("/api/v1/auth/google", Map.of());
        Response done = completeFlow(start, start.header("Location"));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.header("Cache-Control")).isEqualTo("no-store");
        assertThat(done.jsonPath().getString("tokenType")).isEqualTo("Bearer");
        assertThat(done.jsonPath().getString("refreshToken")).hasSize(43);
    }

    @Test
    void theSameGoogleAccountSignsIntoTheSameAtelierAccount() {
        Map<String, Object> identity = Map.of("sub", "google-" + UUID.randomUUID(), "email",
                "g-" + UUID.randomUUID() + "@gmail.example");
        String first = signInJson(identity).jsonPath().getString("user.id");
        String second = signInJson(identity).jsonPath().getString("user.id");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aProvenEmailClaimsAnUnprovenPasswordAccountAndEndsItsPasswordAndSessions() {
        Api.Session squatter = api.signup(); // anyone may sign up with an address they do not own
        String linked = signInJson(Map.of("sub", "google-" + UUID.randomUUID(), "email", squatter.email()))
                .jsonPath().getString("user.id");
        assertThat(linked).isEqualTo(squatter.userId());
        api.request().body(Map.of("email", squatter.email(), "password", Api.PASSWORD)).post("/api/v1/auth/login")
                .then().statusCode(401); // the unproven password is gone
        api.request().body(Map.of("refreshToken", squatter.refreshToken())).post("/api/v1/auth/refresh")
                .then().statusCode(401); // and so are its sessions
    }

    @Test
    void anAccountLinkedToOneGoogleIdentityIsNeverRelinkedToAnother() {
        String email = "g-" + UUID.randomUUID() + "@gmail.example";
        String first = signInJson(Map.of("sub", "google-a-" + UUID.randomUUID(), "email", email)).jsonPath()
                .getString("user.id");
        nextSignIn(Map.of("sub", "google-b-" + UUID.randomUUID(), "email", email));
        Response start = get("/api/v1/auth/google", Map.of());
        Response done = completeFlow(start, start.header("Location"));
        assertThat(done.statusCode()).isEqualTo(409);
        assertThat(done.jsonPath().getString("type")).isEqualTo("tag:atelier.dev,2026:problem:google-identity-conflict");
        assertThat(first).isNotNull();
    }

    @Test
    void twoFirstSignInsAtOnceEndInTheSameAccount() throws Exception {
        Map<String, Object> identity = Map.of("sub", "google-" + UUID.randomUUID(), "email",
                "g-" + UUID.randomUUID() + "@gmail.example");
        String first = mint(identity);
        String second = mint(identity);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> api.request().body(Map.of("idToken", first)).post("/api/v1/auth/google/id-token"));
            var b = pool.submit(() -> api.request().body(Map.of("idToken", second)).post("/api/v1/auth/google/id-token"));
            Response ra = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
            Response rb = b.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(ra.statusCode()).isEqualTo(200);
            assertThat(rb.statusCode()).isEqualTo(200);
            assertThat(ra.jsonPath().getString("user.id")).isEqualTo(rb.jsonPath().getString("user.id"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusalsInTheCodeFlowAreProblems() {
        for (String refusal : new String[] {"error=access_denied", "error=server_error&error_description=x", ""}) {
            nextSignIn(Map.of("sub", "google-" + UUID.randomUUID(), "email", "g-" + UUID.randomUUID() + "@gmail.example"));
            Response start = get("/api/v1/auth/google", Map.of());
            String callback = given().urlEncodingEnabled(false).redirects().follow(false).get(start.header("Location"))
                    .header("Location");
            // the provider's answer with our state, but a refusal (or no code at all) instead of a code
            String refused = callback.replaceAll("code=[^&]*&?", refusal.isEmpty() ? "" : refusal + "&").replaceAll("[?&]$", "");
            Response answer = get(refused, start.getCookies());
            assertThat(answer.statusCode()).as("%s", refusal).isEqualTo(401);
            assertThat(answer.contentType()).as("%s", refusal).isEqualTo("application/problem+json");
        }
    }

    @Test
    void anUnverifiedEmailIsRefused() {
        Api.Session existing = api.signup();
        nextSignIn(Map.of("sub", "google-" + UUID.randomUUID(), "email", existing.email(), "email_verified", false));
        Response start = get("/api/v1/auth/google", Map.of());
        Response done = completeFlow(start, start.header("Location"));
        assertThat(done.statusCode()).isEqualTo(403);
        assertThat(done.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void aTamperedStateIsRefused() {
        nextSignIn(Map.of("sub", "google-" + UUID.randomUUID(), "email", "g-" + UUID.randomUUID() + "@gmail.example"));
        Response start = get("/api/v1/auth/google", Map.of());
        String callback = given().urlEncodingEnabled(false).redirects().follow(false).get(start.header("Location")).header("Location");
        String forged = callback.replaceAll("state=[^&]+", "state=forged-state");
        Response answer = get(forged, start.getCookies());
        // quarkus-oidc finds no state cookie for this state: it never exchanges the code, it starts over.
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.header("Location")).startsWith(provider + "/authorize");
        assertThat(answer.getCookies().keySet()).noneMatch(name -> name.startsWith("q_session"));
    }

    @Test
    void aWrongNonceIsRefused() {
        nextSignIn(Map.of("sub", "google-" + UUID.randomUUID(), "email", "g-" + UUID.randomUUID() + "@gmail.example",
                "nonce", "not-the-nonce-we-sent"));
        Response start = get("/api/v1/auth/google", Map.of());
        Response refused = callback(start);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void anIdTokenForAnotherAudienceIsRefused() {
        nextSignIn(Map.of("sub", "google-" + UUID.randomUUID(), "email", "g-" + UUID.randomUUID() + "@gmail.example",
                "aud", "some-other-client"));
        Response start = get("/api/v1/auth/google", Map.of());
        assertThat(callbackStatus(start)).isEqualTo(401);
    }

    @Test
    void aRedirectOutsideTheAllowListIsRefused() {
        nextSignIn(Map.of("sub", "google-" + UUID.randomUUID(), "email", "g-" + UUID.randomUUID() + "@gmail.example"));
        // refused before anyone is sent to Google
        Response start = get("/api/v1/auth/google?redirect_uri=https://evil.example/steal", Map.of());
        assertThat(start.statusCode()).isEqualTo(400);
        assertThat(start.contentType()).isEqualTo("application/problem+json");
        assertThat(start.jsonPath().getList("errors.field")).contains("redirect_uri");
    }

    @Test
    void idTokenSignInForMobileAndSinglePageClients() {
        String email = "g-" + UUID.randomUUID() + "@gmail.example";
        String idToken = mint(Map.of("sub", "google-" + UUID.randomUUID(), "email", email));
        api.request().body(Map.of("idToken", idToken)).post("/api/v1/auth/google/id-token")
                .then().statusCode(200).body("user.email", equalTo(email)).body("tokenType", equalTo("Bearer"));
    }

    @Test
    void badIdTokensAreRefused() {
        String subject = "google-" + UUID.randomUUID();
        String email = "g-" + UUID.randomUUID() + "@gmail.example";
        idTokenStatus(mint(Map.of("sub", subject, "email", email, "aud", "some-other-client")), 401);
        idTokenStatus(mint(Map.of("sub", subject, "email", email, "iss", "https://accounts.evil.example")), 401);
        idTokenStatus(mint(Map.of("sub", subject, "email", email, "exp", System.currentTimeMillis() / 1000 - 3600)), 401);
        idTokenStatus(mint(Map.of("sub", subject, "email", email, "email_verified", false)), 403);
        idTokenStatus("not.a.token", 401);
        api.request().body(Map.of()).post("/api/v1/auth/google/id-token").then().statusCode(400)
                .body("errors.field", hasItem("idToken"));
    }

    private void idTokenStatus(String idToken, int status) {
        api.request().body(Map.of("idToken", idToken)).post("/api/v1/auth/google/id-token")
                .then().statusCode(status).contentType("application/problem+json");
    }

    private Response signInJson(Map<String, Object> identity) {
        nextSignIn(identity);
        Response start = get("/api/v1/auth/google", Map.of());
        Response done = completeFlow(start, start.header("Location"));
        assertThat(done.statusCode()).isEqualTo(200);
        return done;
    }

    /** Provider consent, then the callback (quarkus-oidc checks state, exchanges the code, validates the ID token), then back. */
    private Response completeFlow(Response start, String authorize) {
        Map<String, String> cookies = new HashMap<>(start.getCookies());
        String callback = given().urlEncodingEnabled(false).redirects().follow(false).get(authorize).header("Location");
        Response afterCallback = get(callback, cookies);
        assertThat(afterCallback.statusCode()).as("callback answer: %s", afterCallback.asString()).isEqualTo(302);
        cookies.putAll(afterCallback.getCookies());
        return get(afterCallback.header("Location"), cookies);
    }

    private Response callback(Response start) {
        String callback = given().urlEncodingEnabled(false).redirects().follow(false).get(start.header("Location")).header("Location");
        return get(callback, start.getCookies());
    }

    private int callbackStatus(Response start) {
        String callback = given().urlEncodingEnabled(false).redirects().follow(false).get(start.header("Location")).header("Location");
        return get(callback, start.getCookies()).statusCode();
    }

    private Response get(String url, Map<String, String> cookies) {
        // The URLs come from Location headers, already encoded.
        return given().urlEncodingEnabled(false).redirects().follow(false).cookies(cookies)
                .header("X-Forwarded-For", api.ip()).get(url);
    }

    private void nextSignIn(Map<String, Object> identity) {
        given().contentType(ContentType.JSON).body(identity).post(provider + "/test/next").then().statusCode(200);
    }

    private String mint(Map<String, Object> identity) {
        return given().contentType(ContentType.JSON).body(identity).post(provider + "/test/id-token")
                .then().statusCode(200).extract().jsonPath().getString("id_token");
    }

    private static Map<String, String> fragment(String location) {
        Map<String, String> values = new HashMap<>();
        for (String pair : location.substring(location.indexOf('#') + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return values;
    }
}
