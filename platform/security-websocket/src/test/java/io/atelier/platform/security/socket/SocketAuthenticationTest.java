package io.atelier.platform.security.socket;

import io.atelier.platform.testing.SocketClient;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.SocketClient.Closing;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.build.JwtClaimsBuilder;

@QuarkusTest
@WithTestResource(TestTokenKeys.class)
class SocketAuthenticationTest {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    TokenForge tokens;

    @TestHTTPResource("/ws/rooms/lobby")
    URI lobby;

    @TestHTTPResource("/ws/rooms/closed")
    URI closedRoom;

    @Inject
    RoomSocket endpoint;

    @Inject
    MeterRegistry registry;

    @Test
    void headerTokenOpensTheSocketAsItsCaller() {
        UUID user = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        String token = tokens.nested(tokens.claims(user).claim("email", "ada@example.com").claim("sid", session.toString()));

        SocketClient client = SocketClient.connect(lobby, b -> b.header("Authorization", "Bearer " + token));

        JsonPath welcome = awaitWelcome(client);
        assertThat(welcome.getString("userId")).isEqualTo(user.toString());
        assertThat(welcome.getString("email")).isEqualTo("ada@example.com");
        assertThat(welcome.getString("sessionId")).isEqualTo(session.toString());
        client.send("hello");
        await().atMost(CLOSE_WAIT).until(() -> client.messages.contains(user + ":" + user + ":hello"));
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void subProtocolTokenOpensTheSocket() {
        UUID user = UUID.randomUUID();
        String token = tokens.nested(tokens.claims(user));

        SocketClient client = SocketClient.connect(lobby, b -> b.subprotocols("bearer-token-carrier",
                "quarkus-http-upgrade#Authorization#" + URLEncoder.encode("Bearer " + token, StandardCharsets.UTF_8)));

        assertThat(awaitWelcome(client).getString("userId")).isEqualTo(user.toString());
        assertThat(client.socket().getSubprotocol()).isEqualTo("bearer-token-carrier");
    }

    @Test
    void badSubProtocolTokenIsClosedWith4401AfterTheBrowsersSubProtocolIsSelected() {
        SocketClient client = SocketClient.connect(lobby, b -> b.subprotocols("bearer-token-carrier",
                "quarkus-http-upgrade#Authorization#" + URLEncoder.encode("Bearer garbage", StandardCharsets.UTF_8)));

        // A browser fails a handshake whose answer selects none of the sub-protocols it offered.
        assertThat(client.socket().getSubprotocol()).isEqualTo("bearer-token-carrier");
        assertThat(closingOf(client)).isEqualTo(new Closing(4401, "token invalid"));
    }

    @Test
    void queryTokenOpensTheSocket() {
        UUID user = UUID.randomUUID();
        String token = tokens.nested(tokens.claims(user));

        SocketClient client = SocketClient.connect(URI.create(lobby + "?access_token=" + token));

        assertThat(awaitWelcome(client).getString("userId")).isEqualTo(user.toString());
    }

    @Test
    void handshakeWithoutTokenIsClosedWith4401TokenMissing() {
        double before = refused("missing");
        int opened = endpoint.openedCount();

        assertThat(closingOf(SocketClient.connect(lobby))).isEqualTo(new Closing(4401, "token missing"));
        assertThat(closingOf(SocketClient.connect(URI.create(lobby + "?access_token=")))).isEqualTo(new Closing(4401, "token missing"));

        assertThat(endpoint.openedCount()).as("refused handshakes never reach the endpoint").isEqualTo(opened);
        assertThat(refused("missing")).isEqualTo(before + 2);
    }

    @Test
    void garbageOrForeignTokensAreClosedWith4401TokenInvalid() {
        UUID user = UUID.randomUUID();
        int opened = endpoint.openedCount();
        for (String token : new String[] {
                "garbage",
                tokens.signedByStranger(tokens.claims(user)),
                tokens.encryptedForStranger(tokens.claims(user)),
                tokens.signedOnly(tokens.claims(user)),
                tokens.nested(tokens.claims(user).subject("not-a-user-id")) }) {
            assertThat(closingWithHeader(token)).as(token).isEqualTo(new Closing(4401, "token invalid"));
            assertThat(closingOf(SocketClient.connect(URI.create(lobby + "?access_token=" + token))))
                    .as(token).isEqualTo(new Closing(4401, "token invalid"));
        }
        assertThat(endpoint.openedCount()).isEqualTo(opened);
    }

    @Test
    void tokensForAnotherAudienceOrFromAnotherIssuerAreClosedWith4401TokenInvalid() {
        UUID user = UUID.randomUUID();

        assertThat(closingWithHeader(tokens.nested(tokens.claims(user).audience("someone-else"))))
                .isEqualTo(new Closing(4401, "token invalid"));
        assertThat(closingWithHeader(tokens.nested(tokens.claims(user).issuer("https://elsewhere.test"))))
                .isEqualTo(new Closing(4401, "token invalid"));
    }

    @Test
    void expiredTokensAreClosedWith4401TokenExpired() {
        double before = refused("expired");
        Instant now = Instant.now();

        // Beyond smallrye-jwt's clock skew, then within it (accepted by verification, refused here).
        assertThat(closingWithHeader(expiringAt(now.minus(5, ChronoUnit.MINUTES))))
                .isEqualTo(new Closing(4401, "token expired"));
        assertThat(closingWithHeader(expiringAt(now.minusSeconds(5))))
                .isEqualTo(new Closing(4401, "token expired"));
        assertThat(refused("expired")).isEqualTo(before + 2);
    }

    @Test
    void openSocketIsClosedWith4401WhenItsTokenExpires() {
        double before = registry.counter("atelier.websocket.auth.expired").count();
        SocketClient client = SocketClient.connect(lobby,
                b -> b.header("Authorization", "Bearer " + expiringAt(Instant.now().plusSeconds(3))));
        awaitWelcome(client);

        assertThat(closingOf(client)).isEqualTo(new Closing(4401, "token expired"));
        assertThat(registry.counter("atelier.websocket.auth.expired").count()).isEqualTo(before + 1);
    }

    @Test
    void closingASocketCancelsItsExpiryTimer() {
        double before = registry.counter("atelier.websocket.auth.expired").count();
        SocketClient client = SocketClient.connect(lobby,
                b -> b.header("Authorization", "Bearer " + expiringAt(Instant.now().plusSeconds(2))));
        awaitWelcome(client);

        client.socket().sendClose(1000, "bye").join();
        assertThat(closingOf(client).code()).isEqualTo(1000);

        // Past the token's expiry nothing fires for the closed connection.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> registry.counter("atelier.websocket.auth.expired").count() == before);
    }

    @Test
    void endpointRefusesACallerWith4403NotAllowed() {
        SocketClient client = SocketClient.connect(closedRoom,
                b -> b.header("Authorization", "Bearer " + tokens.valid()));

        assertThat(closingOf(client)).isEqualTo(new Closing(4403, "not allowed"));
    }

    @Test
    void queryTokenIsNotAcceptedOutsideHandshakes() {
        UUID user = UUID.randomUUID();
        String token = tokens.nested(tokens.claims(user));

        given().queryParam("access_token", token).get("/whoami").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"atelier\"");
        given().auth().oauth2(token).get("/whoami").then().statusCode(200).body("id", equalTo(user.toString()));
    }

    @Test
    void plainHttpRequestToASocketPathIsNotUpgraded() {
        given().get("/ws/rooms/lobby").then().statusCode(404);
        assertThat(catchHandshakeFailure(URI.create(lobby.toString().replace("/ws/", "/elsewhere/"))))
                .isInstanceOf(WebSocketHandshakeException.class);
    }

    private String expiringAt(Instant expiry) {
        JwtClaimsBuilder claims = tokens.claims(UUID.randomUUID())
                .issuedAt(expiry.minus(10, ChronoUnit.MINUTES))
                .expiresAt(expiry);
        return tokens.nested(claims);
    }

    private Closing closingWithHeader(String token) {
        return closingOf(SocketClient.connect(lobby, b -> b.header("Authorization", "Bearer " + token)));
    }

    private static Closing closingOf(SocketClient client) {
        await().atMost(CLOSE_WAIT).until(client::isClosed);
        return client.closingNow();
    }

    private static JsonPath awaitWelcome(SocketClient client) {
        await().atMost(CLOSE_WAIT).until(() -> !client.messages.isEmpty() || client.isClosed());
        assertThat(client.isClosed()).as("closed instead of welcomed: %s", client.closing).isFalse();
        JsonPath welcome = JsonPath.from(client.messages.get(0));
        assertThat(welcome.getString("type")).isEqualTo("WELCOME");
        return welcome;
    }

    private static Throwable catchHandshakeFailure(URI uri) {
        try {
            SocketClient.connect(uri);
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private double refused(String reason) {
        return registry.counter("atelier.websocket.auth.refused", "reason", reason).count();
    }
}
