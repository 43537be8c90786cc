package io.atelier.platform.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Bodies are read on the event loop before a blocking resource runs, within the HTTP body limit (8K here). */
@QuarkusTest
class BodyReadAheadTest {

    private static final String NOTE = "{\"title\":\"a\",\"stars\":1}";

    @TestHTTPResource("/echo/read-ahead")
    URI readAhead;

    @TestHTTPResource("/echo")
    URI echo;

    @Test
    void aBlockingResourceGetsItsBodyAlreadyInMemory() {
        given().contentType(ContentType.JSON).body(NOTE).post("/echo/read-ahead").then().statusCode(200)
                .body(org.hamcrest.Matchers.equalTo("true"));
    }

    @Test
    void aChunkedBodyIsReadAheadToo() throws Exception {
        HttpResponse<String> answer = chunked(NOTE);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("true");
    }

    @Test
    void aChunkedBodyOverTheHttpLimitIsA413Problem() throws Exception {
        String big = "{\"title\":\"a\",\"stars\":1,\"body\":\"" + "x".repeat(20_000) + "\"}";
        HttpResponse<String> answer = chunked(big);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(answer.body()).contains("\"status\":413").contains("8192 bytes").doesNotContain("Exception");
        assertThat(answer.headers().firstValue("Connection")).hasValue("close");
    }

    @Test
    void anEmptyJsonBodyIsAnsweredNotWaitedFor() throws Exception {
        // Content-Length: 0 with a JSON type once hung until the client gave up.
        HttpRequest request = HttpRequest.newBuilder(echo).header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("")).build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        }
    }

    @Test
    void aFormBodyIsNotParsedHereAndIsRefusedAsBefore() {
        // A form field longer than Vert.x's form decoder allows once made this a 500.
        // Quarkus' own form limit (2 KiB a field) answers first, as it did before read-ahead existed.
        given().contentType(ContentType.URLENC).body("note=" + "x".repeat(4_000)).post("/echo/read-ahead").then()
                .statusCode(413).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.URLENC).body("note=short").post("/echo/read-ahead").then()
                .statusCode(415).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void onlyJsonTypesAreReadAhead() {
        assertThat(BodyReadAhead.isJson("application/json")).isTrue();
        assertThat(BodyReadAhead.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(BodyReadAhead.isJson("application/merge-patch+json")).isTrue();
        assertThat(BodyReadAhead.isJson("application/x-www-form-urlencoded")).isFalse();
        assertThat(BodyReadAhead.isJson("multipart/form-data; boundary=x")).isFalse();
        assertThat(BodyReadAhead.isJson("text/json+plain")).isFalse();
        assertThat(BodyReadAhead.isJson(null)).isFalse();
    }

    /** A body of unknown length (Transfer-Encoding: chunked): only reading it shows how long it is. */
    private HttpResponse<String> chunked(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(readAhead).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
