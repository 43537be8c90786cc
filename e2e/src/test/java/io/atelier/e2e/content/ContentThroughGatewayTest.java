package io.atelier.e2e.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.Accounts;
import io.atelier.e2e.Accounts.Account;
import io.atelier.e2e.RunningSuite;
import io.atelier.platform.testing.SocketClient;

/**
 * content-service as a client sees it: real accounts from auth-service, posts and collections over HTTP and
 * notifications over a WebSocket, all through nginx.
 */
class ContentThroughGatewayTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final URI NOTIFICATIONS = URI.create(RunningSuite.GATEWAY.replace("http", "ws") + "/ws/notifications");

    @BeforeAll
    static void suiteIsUp() {
        RunningSuite.ensureUp();
    }

    private static boolean mentions(SocketClient client, String type, String id) {
        return client.messages.stream().anyMatch(m -> m.contains("\"type\":\"" + type + "\"") && m.contains(id));
    }

    @Test
    void aPostIsCreatedReadListedAndNotifiedWithItsAuthorsName() {
        Account ada = Accounts.signUp("Ada Gateway");
        Account bob = Accounts.signUp("Bob Gateway");
        SocketClient bobs = SocketClient.connect(NOTIFICATIONS, bob.accessToken());
        try {
            String post = ada.request().body(Map.of("title", "Through nginx", "body", "Hello"))
                    .post("/api/v1/posts").then().statusCode(201)
                    .header("Location", org.hamcrest.Matchers.containsString("/api/v1/posts/"))
                    .extract().jsonPath().getString("id");
            await().atMost(ARRIVAL).until(() -> mentions(bobs, "post_created", post));
            // The display name arrives through auth.user-events into content-service's replica.
            await().atMost(ARRIVAL).untilAsserted(() -> bob.request().get("/api/v1/posts/" + post)
                    .then().statusCode(200).body("author.displayName", equalTo("Ada Gateway")));
            bob.request().queryParam("authorId", ada.id().toString()).get("/api/v1/posts")
                    .then().statusCode(200).body("items.id", hasItem(post));
            bob.request().body(Map.of("title", "Not mine", "body", "x")).put("/api/v1/posts/" + post)
                    .then().statusCode(403).contentType("application/problem+json");
        } finally {
            bobs.socket().abort();
        }
    }

    @Test
    void collectionsArePrivateAndTheirNotificationsToo() {
        Account ada = Accounts.signUp("Ada Collector");
        Account eve = Accounts.signUp("Eve Curious");
        SocketClient adas = SocketClient.connect(URI.create(NOTIFICATIONS + "?access_token=" + ada.accessToken()));
        SocketClient eves = SocketClient.connect(NOTIFICATIONS, eve.accessToken());
        try {
            String collection = ada.request().body(Map.of("name", "Mine")).post("/api/v1/collections")
                    .then().statusCode(201).extract().jsonPath().getString("id");
            eve.request().get("/api/v1/collections/" + collection).then().statusCode(404).contentType("application/problem+json");
            await().atMost(ARRIVAL).until(() -> mentions(adas, "collection_created", collection));
            String marker = eve.request().body(Map.of("title", "Marker", "body", "m")).post("/api/v1/posts")
                    .then().statusCode(201).extract().jsonPath().getString("id");
            await().atMost(ARRIVAL).until(() -> mentions(eves, "post_created", marker));
            assertThat(eves.messages).noneMatch(m -> m.contains(collection));
        } finally {
            adas.socket().abort();
            eves.socket().abort();
        }
    }

    @Test
    void aDroppedSocketResumesThroughTheGatewayWithoutLoss() {
        Account ada = Accounts.signUp("Ada Resumer");
        SocketClient first = SocketClient.connect(URI.create(NOTIFICATIONS + "?types=post_created"), ada.accessToken());
        String before = ada.request().body(Map.of("title", "Before", "body", "b")).post("/api/v1/posts")
                .then().statusCode(201).extract().jsonPath().getString("id");
        await().atMost(ARRIVAL).until(() -> mentions(first, "post_created", before));
        first.socket().abort();
        String last = first.messages.getLast();
        String lastId = last.substring(last.indexOf("\"id\":\"") + 6, last.indexOf("\"", last.indexOf("\"id\":\"") + 6));
        String missed = ada.request().body(Map.of("title", "Missed", "body", "m")).post("/api/v1/posts")
                .then().statusCode(201).extract().jsonPath().getString("id");
        SocketClient second = SocketClient.connect(URI.create(NOTIFICATIONS + "?types=post_created&since=" + lastId),
                ada.accessToken());
        try {
            await().atMost(ARRIVAL).until(() -> mentions(second, "post_created", missed));
            assertThat(second.messages).noneMatch(m -> m.contains(before));
        } finally {
            second.socket().abort();
        }
    }

    @Test
    void badInputAndMissingTokensGetProblemsAndCloseCodes() {
        Account ada = Accounts.signUp("Ada Careless");
        ada.request().body("{\"title\":\"\",\"body\":\"\"}").post("/api/v1/posts").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("title"));
        ada.request().get("/api/v1/posts?limit=5000").then().statusCode(400).body("errors.field", hasItem("limit"));
        given().baseUri(RunningSuite.GATEWAY).get("/api/v1/collections").then().statusCode(401)
                .contentType("application/problem+json");
        ada.request().get("/api/v1/posts/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        SocketClient anonymous = SocketClient.connect(NOTIFICATIONS);
        assertThat(anonymous.closing.join()).isEqualTo(new SocketClient.Closing(4401, "token missing"));
        SocketClient badSince = SocketClient.connect(URI.create(NOTIFICATIONS + "?since=nope"), ada.accessToken());
        assertThat(badSince.closing.join()).isEqualTo(new SocketClient.Closing(4400, "since: not a notification id"));
    }
}
