package io.atelier.content.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.content.support.Member;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "content-service"))
@WithTestResource(TestTokenKeys.class)
class CollectionsTest {

    TokenForge tokens;

    @Test
    void createReadUpdateDelete() {
        Member ada = Member.newMember(tokens);
        var created = ada.request().body(Map.of("name", " Reading list ")).post("/api/v1/collections")
                .then().statusCode(201)
                .body("name", equalTo("Reading list"))
                .body("description", equalTo(""))
                .body("ownerId", equalTo(ada.id().toString()))
                .extract();
        String id = created.jsonPath().getString("id");
        assertThat(created.header("Location")).endsWith("/api/v1/collections/" + id);

        ada.request().get("/api/v1/collections/" + id).then().statusCode(200).body("name", equalTo("Reading list"));
        ada.request().body(Map.of("name", "Later", "description", "For the weekend"))
                .put("/api/v1/collections/" + id)
                .then().statusCode(200).body("name", equalTo("Later")).body("description", equalTo("For the weekend"));
        ada.request().delete("/api/v1/collections/" + id).then().statusCode(204);
        ada.request().get("/api/v1/collections/" + id).then().statusCode(404);
    }

    @Test
    void aRetriedCreateWithAnIdempotencyKeyMakesOneCollection() {
        Member ada = Member.newMember(tokens);
        String key = UUID.randomUUID().toString();
        String first = ada.request().header("Idempotency-Key", key).body(Map.of("name", "Once"))
                .post("/api/v1/collections").then().statusCode(201).extract().jsonPath().getString("id");
        String again = ada.request().header("Idempotency-Key", key).body(Map.of("name", "Once"))
                .post("/api/v1/collections").then().statusCode(201).header("Idempotent-Replayed", "true")
                .extract().jsonPath().getString("id");
        assertThat(again).isEqualTo(first);
        assertThat(ada.request().get("/api/v1/collections").then().extract().jsonPath().getList("items.id"))
                .containsExactly(first);
    }

    @Test
    void anotherUsersCollectionDoesNotExistForYou() {
        Member ada = Member.newMember(tokens);
        Member eve = Member.newMember(tokens);
        UUID id = ada.collectionId("Private");
        UUID post = ada.postId("In it");
        ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + id + "/posts").then().statusCode(201);
        UUID evesPost = eve.postId("Eve's");

        eve.request().get("/api/v1/collections/" + id).then().statusCode(404).contentType("application/problem+json");
        eve.request().get("/api/v1/collections/" + id + "/posts").then().statusCode(404);
        eve.request().body(Map.of("name", "Mine now")).put("/api/v1/collections/" + id).then().statusCode(404);
        eve.request().delete("/api/v1/collections/" + id).then().statusCode(404);
        eve.request().body(Map.of("postId", evesPost)).post("/api/v1/collections/" + id + "/posts").then().statusCode(404);
        eve.request().delete("/api/v1/collections/" + id + "/posts/" + post).then().statusCode(404);
        List<String> evesList = eve.request().get("/api/v1/collections").then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertThat(evesList).doesNotContain(id.toString());

        ada.request().get("/api/v1/collections/" + id).then().statusCode(200).body("name", equalTo("Private"));
        ada.request().get("/api/v1/collections/" + id + "/posts").then().statusCode(200)
                .body("items.id", equalTo(List.of(post.toString())));
    }

    @Test
    void addingAPostTwiceKeepsOneMembership() {
        Member ada = Member.newMember(tokens);
        UUID id = ada.collectionId("Once");
        UUID post = Member.newMember(tokens).postId("Someone else's post");
        String firstAddedAt = ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + id + "/posts")
                .then().statusCode(201).body("postId", equalTo(post.toString()))
                .extract().jsonPath().getString("addedAt");
        ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + id + "/posts")
                .then().statusCode(200).body("addedAt", equalTo(firstAddedAt));
        ada.request().get("/api/v1/collections/" + id + "/posts").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].title", equalTo("Someone else's post"));
    }

    @Test
    void removingAPostAndAddingAMissingOne() {
        Member ada = Member.newMember(tokens);
        UUID id = ada.collectionId("Churn");
        UUID post = ada.postId("Here for now");
        ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + id + "/posts").then().statusCode(201);
        ada.request().delete("/api/v1/collections/" + id + "/posts/" + post).then().statusCode(204);
        ada.request().delete("/api/v1/collections/" + id + "/posts/" + post).then().statusCode(404);
        ada.request().get("/api/v1/collections/" + id + "/posts").then().body("items.size()", equalTo(0));
        ada.request().body(Map.of("postId", UUID.randomUUID())).post("/api/v1/collections/" + id + "/posts")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aDeletedPostLeavesEveryCollection() {
        Member ada = Member.newMember(tokens);
        Member bob = Member.newMember(tokens);
        UUID post = ada.postId("Short-lived");
        UUID adas = ada.collectionId("A");
        UUID bobs = bob.collectionId("B");
        ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + adas + "/posts").then().statusCode(201);
        bob.request().body(Map.of("postId", post)).post("/api/v1/collections/" + bobs + "/posts").then().statusCode(201);

        ada.request().delete("/api/v1/posts/" + post).then().statusCode(204);

        ada.request().get("/api/v1/collections/" + adas + "/posts").then().body("items.size()", equalTo(0));
        bob.request().get("/api/v1/collections/" + bobs + "/posts").then().body("items.size()", equalTo(0));
    }

    @Test
    void listsOnlyYourOwnNewestFirstInPages() {
        Member ada = Member.newMember(tokens);
        Member.newMember(tokens).collectionId("Not Ada's");
        UUID c1 = ada.collectionId("c1");
        UUID c2 = ada.collectionId("c2");
        UUID c3 = ada.collectionId("c3");
        var page1 = ada.request().queryParam("limit", "2").get("/api/v1/collections").then().statusCode(200)
                .extract().jsonPath();
        var page2 = ada.request().queryParam("limit", "2").queryParam("cursor", page1.getString("nextCursor"))
                .get("/api/v1/collections").then().statusCode(200).extract().jsonPath();
        assertThat(page1.getList("items.id", String.class)).containsExactly(c3.toString(), c2.toString());
        assertThat(page2.getList("items.id", String.class)).containsExactly(c1.toString());
        assertThat(page2.getString("nextCursor")).isNull();
    }

    @Test
    void collectionPostsPageMostRecentlyAddedFirst() {
        Member ada = Member.newMember(tokens);
        UUID id = ada.collectionId("Paged");
        List<String> added = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID post = ada.postId("p" + i);
            ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + id + "/posts").then().statusCode(201);
            added.add(0, post.toString());
        }
        List<String> walked = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var request = ada.request().queryParam("limit", "2");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/v1/collections/" + id + "/posts").then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(walked).containsExactlyElementsOf(added);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"\"}",
            "{}",
            "{\"name\":\"tab\\there\"}",
            "{\"name\":\"x\",\"description\":5}",
            "{\"name\":\"x\",\"owner\":\"me\"}" })
    void invalidCollectionsAre400(String json) {
        Member.newMember(tokens).request().body(json).post("/api/v1/collections")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void lengthsAreBoundedExactly() {
        Member ada = Member.newMember(tokens);
        ada.request().body(Map.of("name", "n".repeat(100), "description", "d".repeat(1_000)))
                .post("/api/v1/collections").then().statusCode(201);
        ada.request().body(Map.of("name", "n".repeat(101))).post("/api/v1/collections")
                .then().statusCode(400).body("errors.field", hasItem("name"));
        ada.request().body(Map.of("name", "n", "description", "d".repeat(1_001))).post("/api/v1/collections")
                .then().statusCode(400).body("errors.field", hasItem("description"));
    }

    @Test
    void addNeedsAPostId() {
        Member ada = Member.newMember(tokens);
        UUID id = ada.collectionId("Strict");
        ada.request().body("{}").post("/api/v1/collections/" + id + "/posts").then().statusCode(400)
                .body("errors.field", hasItem("postId"));
        ada.request().body("{\"postId\":\"nope\"}").post("/api/v1/collections/" + id + "/posts").then().statusCode(400);
    }
}
