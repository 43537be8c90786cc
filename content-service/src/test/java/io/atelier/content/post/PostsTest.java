package io.atelier.content.post;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

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
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "content-service"))
@WithTestResource(TestTokenKeys.class)
class PostsTest {

    TokenForge tokens;

    @Test
    void createReadUpdateDelete() {
        Member ada = Member.newMember(tokens);
        var created = ada.request().body(Map.of("title", "  First light  ", "body", "Line one\nLine two"))
                .post("/api/v1/posts")
                .then().statusCode(201)
                .body("title", equalTo("First light"))
                .body("body", equalTo("Line one\nLine two"))
                .body("author.id", equalTo(ada.id().toString()))
                .extract();
        String id = created.jsonPath().getString("id");
        assertThat(created.header("Location")).endsWith("/api/v1/posts/" + id);
        assertThat(created.jsonPath().getString("createdAt")).isEqualTo(created.jsonPath().getString("updatedAt"));

        Member reader = Member.newMember(tokens);
        reader.request().get("/api/v1/posts/" + id).then().statusCode(200).body("title", equalTo("First light"));

        ada.request().body(Map.of("title", "Second light", "body", "Rewritten"))
                .put("/api/v1/posts/" + id)
                .then().statusCode(200).body("title", equalTo("Second light")).body("body", equalTo("Rewritten"));
        reader.request().get("/api/v1/posts/" + id).then().body("body", equalTo("Rewritten"));

        ada.request().delete("/api/v1/posts/" + id).then().statusCode(204);
        reader.request().get("/api/v1/posts/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        ada.request().delete("/api/v1/posts/" + id).then().statusCode(404);
    }

    @Test
    void aRetriedCreateWithAnIdempotencyKeyMakesOnePost() {
        Member ada = Member.newMember(tokens);
        String key = UUID.randomUUID().toString();
        var first = ada.request().header("Idempotency-Key", key).body(Map.of("title", "Once", "body", "b"))
                .post("/api/v1/posts").then().statusCode(201).extract();
        var retry = ada.request().header("Idempotency-Key", key).body(Map.of("title", "Once", "body", "b"))
                .post("/api/v1/posts").then().statusCode(201).header("Idempotent-Replayed", "true").extract();
        assertThat(retry.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        ada.request().header("Idempotency-Key", key).body(Map.of("title", "Another", "body", "b"))
                .post("/api/v1/posts").then().statusCode(422).contentType("application/problem+json");
        ada.request().header("Idempotency-Key", "not a key").body(Map.of("title", "t", "body", "b"))
                .post("/api/v1/posts").then().statusCode(400).body("errors.field", hasItem("Idempotency-Key"));
        List<String> adas = ada.request().queryParam("authorId", ada.id().toString()).get("/api/v1/posts")
                .then().extract().jsonPath().getList("items.id");
        assertThat(adas).containsExactly(first.jsonPath().getString("id"));
    }

    @Test
    void onlyTheAuthorChangesOrDeletesAPost() {
        Member ada = Member.newMember(tokens);
        Member mallory = Member.newMember(tokens);
        UUID id = ada.postId("Mine");
        mallory.request().body(Map.of("title", "Hijacked", "body", "x")).put("/api/v1/posts/" + id)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("tag:atelier.dev,2026:problem:not-author"));
        mallory.request().delete("/api/v1/posts/" + id).then().statusCode(403);
        ada.request().get("/api/v1/posts/" + id).then().statusCode(200).body("title", equalTo("Mine"));
    }

    @Test
    void everyEndpointNeedsAValidToken() {
        Member ada = Member.newMember(tokens);
        UUID id = ada.postId("Guarded");
        given().get("/api/v1/posts").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .contentType("application/problem+json");
        given().get("/api/v1/posts/" + id).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("title", "t", "body", "b")).post("/api/v1/posts")
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + tokens.signedByStranger(tokens.claims(ada.id())))
                .delete("/api/v1/posts/" + id).then().statusCode(401);
        given().header("Authorization", "Bearer garbage").get("/api/v1/posts").then().statusCode(401);
        ada.request().get("/api/v1/posts/" + id).then().statusCode(200);
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        Member ada = Member.newMember(tokens);
        ada.request().get("/api/v1/posts/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        ada.request().get("/api/v1/posts/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        ada.request().body(Map.of("title", "t", "body", "b")).put("/api/v1/posts/" + UUID.randomUUID())
                .then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"title\":\"\",\"body\":\"b\"}",
            "{\"title\":\"   \",\"body\":\"b\"}",
            "{\"body\":\"b\"}",
            "{\"title\":\"t\"}",
            "{\"title\":\"t\",\"body\":\"\"}",
            "{\"title\":\"two\\nlines\",\"body\":\"b\"}",
            "{\"title\":\"bell\\u0007\",\"body\":\"b\"}",
            "{\"title\":\"t\",\"body\":\"nul\\u0000\"}" })
    void invalidPostsAre400NamingTheField(String json) {
        Member.newMember(tokens).request().body(json).post("/api/v1/posts")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("tag:atelier.dev,2026:problem:validation"))
                .body("errors.size()", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void lengthsAreBoundedExactly() {
        Member ada = Member.newMember(tokens);
        ada.request().body(Map.of("title", "t".repeat(200), "body", "b".repeat(50_000))).post("/api/v1/posts")
                .then().statusCode(201);
        ada.request().body(Map.of("title", "t".repeat(201), "body", "b")).post("/api/v1/posts")
                .then().statusCode(400).body("errors.field", hasItem("title"));
        ada.request().body(Map.of("title", "t", "body", "b".repeat(50_001))).post("/api/v1/posts")
                .then().statusCode(400).body("errors.field", hasItem("body"));
        // Past the service's body limit: refused before it is read.
        ada.request().body(Map.of("title", "t", "body", "b".repeat(300_000))).post("/api/v1/posts")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"title\":\"t\",\"body\":\"b\",\"author\":\"me\"}",
            "{\"title\":1,\"body\":\"b\"}",
            "{\"title\":\"t\",\"title\":\"u\",\"body\":\"b\"}",
            "[1,2]",
            "{\"title\":\"t\",\"body\":\"b\"} trailing",
            "not json" })
    void malformedBodiesAre400(String json) {
        Member.newMember(tokens).request().body(json).post("/api/v1/posts")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aBodyWithoutContentTypeIs415() {
        Member ada = Member.newMember(tokens);
        given().header("Authorization", "Bearer " + ada.token()).body("{\"title\":\"t\",\"body\":\"b\"}")
                .post("/api/v1/posts").then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void listsNewestFirstAndFiltersByAuthor() {
        Member ada = Member.newMember(tokens);
        Member bob = Member.newMember(tokens);
        UUID first = ada.postId("one");
        UUID bobs = bob.postId("bob's");
        UUID second = ada.postId("two");

        List<String> adas = ada.request().queryParam("authorId", ada.id().toString()).get("/api/v1/posts")
                .then().statusCode(200).body("nextCursor", nullValue()).extract().jsonPath().getList("items.id");
        assertThat(adas).containsExactly(second.toString(), first.toString());

        List<String> everyone = ada.request().queryParam("limit", "100").get("/api/v1/posts")
                .then().statusCode(200).extract().jsonPath().getList("items.id");
        assertThat(everyone).containsSubsequence(second.toString(), bobs.toString(), first.toString());
    }

    @Test
    void pagesWalkTheListWithACursor() {
        Member ada = Member.newMember(tokens);
        List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, ada.postId("p" + i).toString());
        }
        var page1 = ada.request().queryParam("authorId", ada.id().toString()).queryParam("limit", "2")
                .get("/api/v1/posts").then().statusCode(200).extract().jsonPath();
        var page2 = ada.request().queryParam("authorId", ada.id().toString()).queryParam("limit", "2")
                .queryParam("cursor", page1.getString("nextCursor")).get("/api/v1/posts").then().statusCode(200)
                .extract().jsonPath();
        var page3 = ada.request().queryParam("authorId", ada.id().toString()).queryParam("limit", "2")
                .queryParam("cursor", page2.getString("nextCursor")).get("/api/v1/posts").then().statusCode(200)
                .extract().jsonPath();
        assertThat(page3.getString("nextCursor")).isNull();
        List<String> walked = new java.util.ArrayList<>(page1.getList("items.id"));
        walked.addAll(page2.getList("items.id"));
        walked.addAll(page3.getList("items.id"));
        assertThat(walked).containsExactlyElementsOf(created);
    }

    @ParameterizedTest
    @ValueSource(strings = { "limit=0", "limit=101", "limit=abc", "limit=1e3", "cursor=forged", "cursor=%00",
            "authorId=nope", "authorId=1-2-3-4-5" })
    void badListParametersAre400NamingThem(String query) {
        String name = query.substring(0, query.indexOf('='));
        Member.newMember(tokens).request().get("/api/v1/posts?" + query)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(name));
    }

    @Test
    void authorsShowWithoutDisplayNameUntilTheReplicaKnowsThem() {
        Member stranger = Member.newMember(tokens);
        stranger.post("Unknown author", "b").getString("id");
        stranger.request().get("/api/v1/posts?authorId=" + stranger.id())
                .then().statusCode(200).body("items[0].author.id", equalTo(stranger.id().toString()))
                .body("items[0].author.displayName", nullValue());
    }
}
