package io.atelier.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.atelier.platform.testing.LocalSuite;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

class GatewayConfigTest {

    private static FakeUpstreams upstreams;
    private static GatewayUnderTest gateway;

    @BeforeAll
    static void startGateway() throws IOException {
        upstreams = new FakeUpstreams();
        Map<String, Integer> ports = new HashMap<>();
        for (String service : GatewayUnderTest.SERVICE_PORTS.keySet()) {
            ports.put(service, service.equals("job-worker") ? FakeUpstreams.closedPort() : upstreams.start(service));
        }
        gateway = GatewayUnderTest.start(LocalSuite.find().root(), ports);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
        upstreams.close();
    }

    private static RequestSpecification request() {
        return given().baseUri("http://127.0.0.1").port(gateway.port).urlEncodingEnabled(false);
    }

    @ParameterizedTest
    @CsvSource({
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
    @ValueSource(strings = {"/", "/nope", "/api/v1/postsXYZ", "/api/v2/auth/login", "/.well-known/other", "/q/health"})
    void unknownRouteIsAProblem404(String path) {
        request().get(path).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not Found"))
                .body("type", equalTo("about:blank")).body("detail", org.hamcrest.Matchers.notNullValue());
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

    @Test
    void webSocketUpgradeIsForwarded() throws IOException {
        // HttpClient refuses to set Upgrade/Connection itself, so this request is written by hand.
        try (Socket socket = new Socket("127.0.0.1", gateway.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws/notifications HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200")
                    .contains("\"upgrade\":\"websocket\"").contains("\"connection\":\"upgrade\"");
        }
    }

    @Test
    void plainRequestsReachServicesWithoutUpgradeHeaders() {
        request().get("/api/v1/posts").then().statusCode(200).body("upgrade", equalTo(""))
                .body("forwardedFor", equalTo("127.0.0.1"));
    }

    private static String readResponse(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        int read;
        while (!text.toString().contains("}") && (read = in.read(buffer)) > 0) {
            text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
