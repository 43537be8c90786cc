package io.atelier.gateway;

import static io.atelier.gateway.GatewayAssertions.assertGatewayProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Routes, limits, request ids and WebSockets of the rendered gateway config. */
class GatewayConfigTest {

    @RegisterExtension
    static final GatewayWithStandIns gateway = GatewayWithStandIns.withDown("job-worker");

    private static RequestSpecification request() {
        return given().baseUri("http://127.0.0.1").port(gateway.port()).urlEncodingEnabled(false);
    }

    @ParameterizedTest
    @CsvSource({
            "/api/v1/auth, auth-service",
            "/api/v1/auth/login, auth-service",
            "/.well-known/jwks.json, auth-service",
            "/.well-known/openid-configuration, auth-service",
            "/api/v1/posts, content-service",
            "/api/v1/posts/42, content-service",
            "/api/v1/collections/7/posts, content-service",
            "/ws/notifications, content-service",
            "/api/v1/projects, workspace-service",
            "/api/v1/projects/9/collaborators, workspace-service",
            "/ws/projects/9, workspace-service",
            "/api/v1/events, pipeline-ingest",
            "/api/v1/analytics/queries, pipeline-ingest"})
    void routesEachPathToItsService(String path, String service) {
        request().get(path).then().statusCode(200).body("service", equalTo(service)).body("path", equalTo(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/nope", "/api/v1/postsXYZ", "/api/v2/auth/login", "/.well-known/other", "/ws/projects",
            "/ws/notificationsX", "/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/_gateway/404"})
    void unknownRouteIsAProblem404(String path) throws IOException {
        assertGatewayProblem(RawHttp.exchange(gateway.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 404);
    }

    /** nginx resolves dot segments (also percent-encoded) before routing, so they cannot reach a service's /q/*. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/posts/../../q/health", "/api/v1/posts/%2e%2e/%2E%2E/q/health",
            "/api/v1/auth/..%2f..%2fq/metrics", "/api/v1/projects/./../../q/openapi", "/api/v1/jobs//..//../q/health"})
    void dotSegmentsCannotReachInternalEndpoints(String path) throws IOException {
        RawHttp.Response response = RawHttp.exchange(gateway.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertGatewayProblem(response, 404);
    }

    @Test
    void bodyOverTheLimitIsAProblem413() {
        byte[] twoMebibytes = new byte[2 * 1024 * 1024];
        request().contentType("application/json").body(twoMebibytes).post("/api/v1/auth/signup")
                .then().statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
    }

    @Test
    void serviceThatIsDownIsAProblem502() {
        request().get("/api/v1/jobs/123").then().statusCode(502)
                .contentType("application/problem+json").body("status", equalTo(502))
                .header("Retry-After", "5")
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"));
    }

    @Test
    void serviceThatDoesNotAnswerIsAProblem504() {
        request().get("/api/v1/auth/never-answers").then().statusCode(504)
                .contentType("application/problem+json").body("status", equalTo(504));
    }

    @Test
    void requestIdIsGeneratedPropagatedAndReturned() {
        var response = request().get("/api/v1/posts").then().statusCode(200).extract();
        String id = response.header("X-Request-Id");
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(response.jsonPath().getString("requestId")).isEqualTo(id);
        assertThat(response.headers().getValues("X-Request-Id")).hasSize(1);
    }

    @Test
    void callersRequestIdIsKept() {
        request().header("X-Request-Id", "client-42.a:b").get("/api/v1/posts").then().statusCode(200)
                .header("X-Request-Id", "client-42.a:b").body("requestId", equalTo("client-42.a:b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"has spaces in it", "semi;colon", "x{200}"})
    void malformedRequestIdIsReplaced(String raw) {
        String supplied = raw.equals("x{200}") ? "x".repeat(200) : raw;
        var response = request().header("X-Request-Id", supplied).get("/api/v1/posts").then().statusCode(200).extract();
        assertThat(response.header("X-Request-Id")).matches("[0-9a-f]{32}");
        assertThat(response.jsonPath().getString("requestId")).isEqualTo(response.header("X-Request-Id"));
    }

    @ParameterizedTest
    @CsvSource({"/ws/notifications, content-service", "/ws/projects/9, workspace-service"})
    void webSocketsWorkThroughTheGateway(String path, String service) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + path), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(service + ":hello");
        } finally {
            socket.abort();
        }
    }

    @Test
    void plainRequestsReachServicesWithoutUpgradeHeaders() {
        request().get("/api/v1/posts").then().statusCode(200).body("upgrade", equalTo(""))
                .body("forwardedFor", equalTo("127.0.0.1"));
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
