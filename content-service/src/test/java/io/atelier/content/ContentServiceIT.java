package io.atelier.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.atelier.content.support.Member;
import io.atelier.content.support.TwoInstances;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.FreeManagementPort;
import io.atelier.platform.testing.PackagedInstance;
import io.atelier.platform.testing.SocketClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged application (the production fast-jar), twice: the instance failsafe starts and a second
 * one from the same jar. Changes made through either reach sockets on both; a client that drops its
 * socket on one resumes on the other without a gap or a duplicate.
 */
@QuarkusIntegrationTest
@WithTestResource(TwoInstances.class)
@WithTestResource(FreeManagementPort.class)
class ContentServiceIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    TokenForge tokens;
    PackagedInstance second;

    private final List<SocketClient> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() {
        sockets.stream().filter(s -> !s.isClosed()).forEach(s -> s.socket().abort());
    }

    private URI first(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }

    private RequestSpecification onSecond(Member member) {
        return member.request().baseUri("http://127.0.0.1").port(second.port());
    }

    private SocketClient socket(URI uri, Member member) {
        SocketClient client = SocketClient.connect(uri, member.token());
        sockets.add(client);
        return client;
    }

    private static boolean mentions(SocketClient client, String type, UUID id) {
        return client.messages.stream().anyMatch(m -> m.contains("\"type\":\"" + type + "\"") && m.contains(id.toString()));
    }

    @Test
    void smoke() {
        Member ada = Member.newMember(tokens);
        UUID post = ada.postId("Packaged");
        ada.request().get("/api/v1/posts/" + post).then().statusCode(200).body("title", equalTo("Packaged"));
        given().get("/api/v1/posts").then().statusCode(401).contentType("application/problem+json");
        ada.request().body("{\"title\":\"\",\"body\":\"b\"}").post("/api/v1/posts").then().statusCode(400);
        given().get("/q/health/ready").then().statusCode(404); // management endpoints are not on the API port
    }

    @Test
    void changesThroughEitherInstanceReachSocketsOnBoth() {
        Member ada = Member.newMember(tokens);
        Member bob = Member.newMember(tokens);
        SocketClient adaOnFirst = socket(first("/ws/notifications"), ada);
        SocketClient bobOnSecond = socket(second.uri("/ws/notifications"), bob);

        UUID viaFirst = ada.postId("Through the first");
        UUID viaSecond = UUID.fromString(onSecond(bob).body(Map.of("title", "Through the second", "body", "b"))
                .post("/api/v1/posts").then().statusCode(201).extract().jsonPath().getString("id"));
        UUID collection = UUID.fromString(onSecond(ada).body(Map.of("name", "Ada's, made on the second"))
                .post("/api/v1/collections").then().statusCode(201).extract().jsonPath().getString("id"));

        await().atMost(ARRIVAL).until(() -> mentions(bobOnSecond, "post_created", viaFirst)
                && mentions(adaOnFirst, "post_created", viaSecond)
                && mentions(adaOnFirst, "post_created", viaFirst)
                && mentions(bobOnSecond, "post_created", viaSecond)
                && mentions(adaOnFirst, "collection_created", collection));
        UUID marker = ada.postId("Marker");
        await().atMost(ARRIVAL).until(() -> mentions(bobOnSecond, "post_created", marker));
        assertThat(bobOnSecond.messages).noneMatch(m -> m.contains(collection.toString()));
    }

    @Test
    void theNewestPostsPageOfOneInstanceShowsPostsMadeThroughTheOther() {
        Member ada = Member.newMember(tokens);
        ada.request().get("/api/v1/posts").then().statusCode(200); // the first instance now keeps this page
        UUID viaSecond = UUID.fromString(onSecond(ada).body(Map.of("title", "Fresh elsewhere", "body", "b"))
                .post("/api/v1/posts").then().statusCode(201).extract().jsonPath().getString("id"));
        await().atMost(ARRIVAL).until(() -> ada.request().get("/api/v1/posts").then().statusCode(200)
                .extract().jsonPath().getList("items.id", String.class).contains(viaSecond.toString()));
        // and on the instance that made it, at once
        assertThat(onSecond(ada).get("/api/v1/posts").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class)).contains(viaSecond.toString());
    }

    @Test
    void aClientDroppedByOneInstanceResumesOnTheOtherWithoutGapOrDuplicate() {
        Member ada = Member.newMember(tokens);
        Member writer = Member.newMember(tokens);
        SocketClient onFirst = socket(first("/ws/notifications?types=post_created"), ada);
        List<UUID> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(writer.postId("before " + i));
        }
        await().atMost(ARRIVAL).until(() -> written.stream().allMatch(id -> mentions(onFirst, "post_created", id)));
        onFirst.socket().abort();
        String lastSeen = lastId(onFirst.messages);

        List<UUID> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(writer.postId("missed " + i));
        }
        SocketClient onSecond = socket(second.uri("/ws/notifications?types=post_created&since=" + lastSeen), ada);
        UUID live = writer.postId("live");
        await().atMost(ARRIVAL).until(() -> mentions(onSecond, "post_created", live));
        for (UUID id : written) {
            assertThat(mentions(onSecond, "post_created", id)).as("seen before the drop: not again").isFalse();
        }
        List<UUID> expected = new ArrayList<>(missed);
        expected.add(live);
        for (UUID id : expected) {
            assertThat(onSecond.messages.stream().filter(m -> m.contains(id.toString()))).as("%s once", id).hasSize(1);
        }
    }

    private static String lastId(List<String> messages) {
        String last = messages.getLast();
        int at = last.indexOf("\"id\":\"") + 6;
        return last.substring(at, last.indexOf('"', at));
    }
}
