package io.atelier.platform.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.platform.web.fixture.Effects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** The platform's problem mappers and request rules, through a real HTTP server and a test resource. */
@QuarkusTest
class ProblemsTest {

    @Inject
    Effects effects;

    private static ValidatableResponse post(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/echo").then();
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType(Problem.MEDIA_TYPE).body("status", equalTo(status))
                .body("title", notNullValue()).body("type", notNullValue()).body(not(containsString("Exception")));
    }

    @Test
    void acceptsAWellFormedBody() {
        post("{\"title\":\"hello\",\"body\":\"line one\\nline two\\ttabbed\",\"stars\":3,\"tags\":[\"a\"]}")
                .statusCode(200).body("title", equalTo("hello")).body("stars", equalTo(3));
    }

    @Test
    void domainProblemCarriesItsTypeTitleAndHeaders() {
        problem(post("{\"title\":\"taken\",\"stars\":1}"), 409)
                .body("type", equalTo(ProblemType.TAG + "note-taken"))
                .body("title", equalTo("Note already exists"))
                .body("detail", equalTo("A note with this title exists."))
                .body("instance", equalTo("/echo"))
                .header("X-Hint", "rename");
    }

    @Test
    void validationNamesEveryField() {
        problem(post("{\"title\":\"\",\"body\":\"" + "x".repeat(201) + "\",\"stars\":1}"), 400)
                .body("type", equalTo(ProblemType.VALIDATION.uri().toString()))
                .body("errors.field", hasItem("title")).body("errors.field", hasItem("body"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\\u0000b", "bell\\u0007", "esc\\u001b[31m", "del\\u007f", "lone \\ud800 surrogate"})
    void controlCharactersAreRefusedNamingTheField(String text) {
        int before = effects.count.get();
        problem(post("{\"title\":\"ok\",\"body\":\"" + text + "\",\"stars\":1}"), 400)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", equalTo("must not contain control characters"));
        problem(post("{\"title\":\"ok\",\"stars\":1,\"tags\":[\"fine\",\"" + text + "\"]}"), 400)
                .body("errors[0].field", equalTo("tags[1]"));
        assertThat(effects.count.get()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\\u0000b", "bell\\u0007", "two\\nlines"})
    void aOneFieldRecordNamesItsFieldToo(String text) {
        problem(given().contentType(ContentType.JSON).body("{\"name\":\"" + text + "\"}").patch("/echo").then(), 400)
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void aOneLineFieldRefusesLineBreaks() {
        problem(post("{\"title\":\"two\\nlines\",\"stars\":1}"), 400).body("errors[0].field", equalTo("title"))
                .body("errors[0].message", equalTo("must be a single line"));
    }

    @Test
    void aRepeatedFieldIsA400NotA500() {
        problem(post("{\"title\":\"a\",\"title\":\"b\",\"stars\":1}"), 400)
                .body("type", equalTo(ProblemType.MALFORMED_BODY.uri().toString()))
                .body("detail", equalTo("A field appears more than once."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"title\":12345678,\"stars\":1}", "{\"title\":true,\"stars\":1}",
            "{\"title\":\"a\",\"stars\":\"3\"}", "{\"title\":\"a\",\"stars\":null}", "{\"title\":\"a\",\"stars\":1.5}",
            "{\"title\":{\"x\":1},\"stars\":1}", "{\"title\":\"a\",\"stars\":1} trailing",
            "{\"title\":\"a\",\"stars\":1,\"mood\":1}", "{\"title\":\"a\",\"stars\":1,\"mood\":\"calm\"}"})
    void typesAreStrict(String json) {
        problem(post(json), 400).body("type", equalTo(ProblemType.MALFORMED_BODY.uri().toString()));
    }

    @Test
    void unknownFieldsAreNamedEscapedAndBounded() {
        String longName = "<script>\\\"" + "n".repeat(800);
        problem(post("{\"title\":\"a\",\"stars\":1,\"" + longName + "\":1}"), 400)
                .body("errors[0].message", equalTo("unknown field"))
                .body("errors[0].field.length()", lessThan(ProblemResponse.MAX_ECHO + 2))
                .body("detail.length()", lessThan(ProblemResponse.MAX_ECHO + 40));
    }

    @Test
    void notJsonIsA400() {
        problem(post("{\"title\":"), 400).body("detail", equalTo("The body is not valid JSON."));
    }

    @Test
    void aBodyWithoutContentTypeIsRefusedBeforeAnyEffect() {
        int before = effects.count.get();
        problem(given().body("{\"title\":\"a\",\"stars\":1}".getBytes()).post("/echo").then(), 415);
        problem(given().contentType("text/plain").body("{\"title\":\"a\",\"stars\":1}").post("/echo").then(), 415);
        assertThat(effects.count.get()).isEqualTo(before);
    }

    @Test
    void anEmptyAcceptHeaderMeansAnything() {
        given().contentType(ContentType.JSON).header("Accept", "").body("{\"title\":\"a\",\"stars\":1}").post("/echo")
                .then().statusCode(200).body("title", equalTo("a"));
    }

    @Test
    void anUnacceptableMediaTypeIsRefusedBeforeAnyEffect() {
        int before = effects.count.get();
        given().contentType(ContentType.JSON).accept("text/html").body("{\"title\":\"a\",\"stars\":1}").post("/echo")
                .then().statusCode(406);
        assertThat(effects.count.get()).isEqualTo(before);
    }

    @Test
    void aDeclaredBodyOverTheLimitIsA413() {
        problem(post("{\"title\":\"a\",\"stars\":1,\"body\":\"" + "x".repeat(2000) + "\"}"), 413);
    }

    @Test
    void unexpectedFailuresHideTheirInternals() {
        problem(given().get("/echo/boom").then(), 500).body(not(containsString("secret")));
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        problem(given().get("/nothing-here").then(), 404).body("type", equalTo("about:blank"))
                .body("title", equalTo("Not Found"));
        problem(given().delete("/echo").then(), 405).body("title", equalTo("Method Not Allowed"));
    }

    @Test
    void aSaneRequestIdIsKeptAndInTheLogContext() {
        given().header(AtelierHeaders.REQUEST_ID, "abc-123").get("/echo/request-id").then().statusCode(200)
                .header(AtelierHeaders.REQUEST_ID, "abc-123").body(equalTo("abc-123"));
        problem(given().header(AtelierHeaders.REQUEST_ID, "abc-124").get("/echo/boom").then(), 500)
                .body("requestId", equalTo("abc-124"));
    }

    @Test
    void aMissingOrInsaneRequestIdIsReplaced() {
        String made = given().get("/echo/request-id").then().statusCode(200)
                .header(AtelierHeaders.REQUEST_ID, matchesPattern("[0-9a-f-]{36}")).extract().asString();
        assertThat(made).matches("[0-9a-f-]{36}");
        given().header(AtelierHeaders.REQUEST_ID, "bad id <script>").get("/echo/request-id").then()
                .header(AtelierHeaders.REQUEST_ID, matchesPattern("[0-9a-f-]{36}"));
        problem(given().get("/nothing").then(), 404).body("requestId", matchesPattern("[0-9a-f-]{36}"))
                .body("errors", nullValue());
    }
}
