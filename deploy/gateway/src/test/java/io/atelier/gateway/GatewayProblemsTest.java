package io.atelier.gateway;

import static io.atelier.gateway.GatewayAssertions.assertGatewayProblem;
import static io.atelier.gateway.GatewayAssertions.assertSecurityHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;


/**
 * Requests nginx refuses before any route: each answer is an RFC 9457 problem with the security
 * headers, never nginx's HTML page, also when nginx could not parse the request line at all.
 */
class GatewayProblemsTest {

    @RegisterExtension
    static final GatewayWithStandIns gateway = GatewayWithStandIns.all();

    private static RawHttp.Response send(String requestLine, String headers) throws IOException {
        return RawHttp.exchange(gateway.port(), requestLine + "\r\nHost: localhost\r\n" + headers + "\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "get /api/v1/posts HTTP/1.1",               // lower-case method
            "GET /api/v1/posts/a%00b HTTP/1.1",         // NUL in the path
            "GET * HTTP/1.1",                           // asterisk form
            "GET /../../etc/passwd HTTP/1.1",           // above the root
            "GET /api/v1/../../../etc HTTP/1.1",        // above the root, from a route
            "CONNECT localhost:443 HTTP/1.1",           // authority form
            "GET /api/v1/posts HTTP/1.1 extra",         // trailing garbage
            "GET  HTTP/1.1",                            // no URI
            "GET /api/v1/posts\tHTTP/1.1",              // tab as separator
            "G(T /api/v1/posts HTTP/1.1"})              // not a token
    void unreadableRequestLineIsAProblem400(String requestLine) throws IOException {
        assertGatewayProblem(send(requestLine, ""), 400);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET /api/v1/posts HTTP/9.9", "GET /api/v1/posts HTTP/2.0", "GET / HTTP/3.0"})
    void unknownHttpVersionIsAProblem505(String requestLine) throws IOException {
        assertGatewayProblem(send(requestLine, ""), 505);
    }

    @Test
    void binaryGarbageIsAProblem400() throws IOException {
        // What a TLS client sends to a plain-HTTP port.
        byte[] hello = {0x16, 0x03, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o', '\r', '\n', '\r', '\n'};
        assertGatewayProblem(RawHttp.exchange(gateway.port(), hello), 400);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TRACE", "CONNECT", "PROPFIND", "FOO", "BREW", "M-SEARCH", "GET_X"})
    void methodsTheServicesDoNotUseAreAProblem405(String method) throws IOException {
        RawHttp.Response response = send(method + " /api/v1/posts HTTP/1.1", "");
        assertGatewayProblem(response, 405);
        assertThat(response.header("Allow")).hasValue("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    void methodsTheServicesUseAreForwarded(String method) throws IOException {
        RawHttp.Response response = send(method + " /api/v1/posts HTTP/1.1", "Content-Length: 0\r\nConnection: close\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers("Allow")).isEmpty();
        if (!method.equals("HEAD")) {
            assertThat(response.json().getString("service")).isEqualTo("content-service");
        }
    }

    @Test
    void unknownTransferEncodingIsAProblem501() throws IOException {
        assertGatewayProblem(send("POST /api/v1/posts HTTP/1.1", "Transfer-Encoding: gzip\r\n"), 501);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "two Host headers            | Host: other.example",
            "length and chunked together | Content-Length: 5;Transfer-Encoding: chunked",
            "a negative length           | Content-Length: -1",
            "a length that is not one    | Content-Length: 5, 5"})
    void ambiguousHeadersAreAProblem400(String what, String headerLines) throws IOException {
        // ';' separates header lines here: a CSV value cannot hold line breaks.
        assertGatewayProblem(send("POST /api/v1/posts HTTP/1.1", headerLines.replace(";", "\r\n") + "\r\n"), 400);
    }

    @Test
    void requestLineOverTheHeaderBufferIsAProblem414() throws IOException {
        assertGatewayProblem(send("GET /api/v1/posts/" + "x".repeat(9000) + " HTTP/1.1", ""), 414);
    }

    @Test
    void problemPagesCannotBeRequestedDirectly() throws IOException {
        for (int status : new int[] {400, 404, 405, 414, 431, 500, 502, 504, 505}) {
            assertGatewayProblem(send("GET /_gateway/" + status + " HTTP/1.1", ""), 404);
        }
    }

    @Test
    void headRequestForAProblemHasNoBody() throws IOException {
        RawHttp.Response response = RawHttp.exchange(gateway.port(),
                "HEAD /nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertSecurityHeaders(response);
    }
}
