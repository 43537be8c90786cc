package io.atelier.e2e.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.Accounts;
import io.atelier.e2e.Accounts.Account;
import io.atelier.e2e.RunningSuite;
import io.atelier.platform.testing.SocketClient;

/**
 * The live workspace as a client sees it: real accounts from auth-service, a project shared over HTTP, then
 * presence and file changes over WebSockets, all through nginx.
 */
class LiveWorkspaceThroughGatewayTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final String WS = RunningSuite.GATEWAY.replace("http", "ws") + "/ws/projects/";

    @BeforeAll
    static void suiteIsUp() {
        RunningSuite.ensureUp();
    }

    private static boolean has(SocketClient client, String type, String text) {
        return client.messages.stream().anyMatch(m -> m.contains("\"type\":\"" + type + "\"") && m.contains(text));
    }

    @Test
    void aTeamSharesAProjectLive() {
        Account ada = Accounts.signUp("Ada Workspace");
        Account bob = Accounts.signUp("Bob Workspace");
        String project = ada.request().body(Map.of("name", "Through nginx", "description", "live"))
                .post("/api/v1/projects").then().statusCode(201).extract().jsonPath().getString("id");
        // Bob is invited by email: the users replica learns of him from auth.user-events.
        await().atMost(ARRIVAL).pollInterval(Duration.ofSeconds(1)).until(() -> ada.request().body(Map.of("email", bob.email(), "role", "COLLABORATOR"))
                .post("/api/v1/projects/" + project + "/collaborators").statusCode() == 201);
        bob.request().get("/api/v1/projects").then().statusCode(200).body("items.id", hasItem(project))
                .body("items.find { it.id == '" + project + "' }.role", equalTo("COLLABORATOR"));

        SocketClient adas = SocketClient.connect(URI.create(WS + project), ada.accessToken());
        // The handshake's answer comes before the socket joins the project: Ada's SNAPSHOT says she is in,
        // so Bob's arrival reaches her as USER_JOIN (had he joined first, her SNAPSHOT would list him).
        await().atMost(ARRIVAL).until(() -> has(adas, "SNAPSHOT", project));
        SocketClient bobs = SocketClient.connect(URI.create(WS + project + "?access_token=" + bob.accessToken()));
        try {
            await().atMost(ARRIVAL).until(() -> has(adas, "USER_JOIN", bob.id().toString()));
            bobs.send("{\"type\":\"FILE_CHANGE\",\"data\":{\"path\":\"notes.md\",\"change\":{\"insert\":\"hi\"}}}");
            await().atMost(ARRIVAL).until(() -> has(adas, "FILE_CHANGE", "notes.md"));
            ada.request().get("/api/v1/projects/" + project + "/workspace/status").then().statusCode(200)
                    .body("recentFiles.path", hasItem("notes.md"))
                    .body("online.displayName", hasItem("Bob Workspace"));
        } finally {
            adas.socket().abort();
            bobs.socket().abort();
        }
    }

    @Test
    void strangersAndBadHandshakesGetCloseCodes() {
        Account ada = Accounts.signUp("Ada Careful");
        Account eve = Accounts.signUp("Eve Outside");
        String project = ada.request().body(Map.of("name", "Private")).post("/api/v1/projects")
                .then().statusCode(201).extract().jsonPath().getString("id");
        eve.request().get("/api/v1/projects/" + project + "/workspace/status").then().statusCode(404)
                .contentType("application/problem+json");
        SocketClient badSeq = SocketClient.connect(URI.create(WS + project + "?lastSeq=x"), ada.accessToken());
        assertThat(badSeq.closing.join()).isEqualTo(new SocketClient.Closing(4400, "lastSeq: a whole number from 0"));

        SocketClient stranger = SocketClient.connect(URI.create(WS + project), eve.accessToken());
        assertThat(stranger.closing.join()).isEqualTo(new SocketClient.Closing(4403, "not a member of this project"));
        SocketClient anonymous = SocketClient.connect(URI.create(WS + project));
        assertThat(anonymous.closing.join()).isEqualTo(new SocketClient.Closing(4401, "token missing"));
    }
}
