package io.atelier.gateway;

import static io.atelier.gateway.GatewayAssertions.assertGatewayProblem;
import static io.atelier.gateway.GatewayAssertions.assertSecurityHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


/** Every answer through the gateway carries its security headers, once, whoever produced the answer. */
class SecurityHeadersTest {

    @RegisterExtension
    static final GatewayWithStandIns gateway = GatewayWithStandIns.withDown("job-worker");

    private static RawHttp.Response get(String path) throws IOException {
        return RawHttp.exchange(gateway.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/auth/me", "/api/v1/posts", "/.well-known/jwks.json", "/api/v1/analytics/x"})
    void proxiedAnswersCarryThem(String path) throws IOException {
        RawHttp.Response response = get(path);
        assertThat(response.status()).isEqualTo(200);
        assertSecurityHeaders(response);
    }

    @Test
    void aServicesOwnValuesAreReplacedNotDoubled() throws IOException {
        RawHttp.Response response = get("/api/v1/posts/with-own-headers");
        assertThat(response.status()).isEqualTo(200);
        assertSecurityHeaders(response); // exactly one of each, the gateway's
    }

    @Test
    void gatewayProblemsCarryThem() throws IOException {
        assertGatewayProblem(get("/nope"), 404);
        assertGatewayProblem(get("/api/v1/jobs/1"), 502);
        assertGatewayProblem(RawHttp.exchange(gateway.port(), "get / HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400);
        assertGatewayProblem(RawHttp.exchange(gateway.port(), "TRACE / HTTP/1.1\r\nHost: localhost\r\n\r\n"), 405);
    }

    @Test
    void serverHeaderNamesNoVersion() throws IOException {
        assertThat(get("/api/v1/posts").headers("Server")).containsExactly("nginx");
        assertThat(get("/nope").headers("Server")).containsExactly("nginx");
    }
}
