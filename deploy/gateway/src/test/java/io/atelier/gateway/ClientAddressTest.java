package io.atelier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;


/**
 * Services limit by client address (the first X-Forwarded-For entry), so what they receive about
 * the client must come from the gateway, never from the client.
 */
class ClientAddressTest {

    /** Every header a client might use to pass for someone else. */
    private static final String SPOOFING_HEADERS = """
            X-Forwarded-For: 203.0.113.7\r
            X-Forwarded-For: 198.51.100.1, 203.0.113.8\r
            X-Real-IP: 203.0.113.9\r
            Forwarded: for=203.0.113.10;proto=https;host=evil.example\r
            X-Forwarded-Host: evil.example\r
            X-Forwarded-Proto: https\r
            X-Forwarded-Port: 443\r
            X-Forwarded-Prefix: /admin\r
            X-Forwarded-Ssl: on\r
            X-Forwarded-Server: evil.example\r
            X_Forwarded_For: 203.0.113.11\r
            X_Real_IP: 203.0.113.12\r
            Proxy: http://evil.example:3128\r
            """;

    /** The headers the service got (names in lower case), for a request with these extra header lines. */
    private static Map<String, String> forwardedHeaders(int port, String extraHeaders) throws IOException {
        RawHttp.Response response = RawHttp.exchange(port, "GET /api/v1/auth/login HTTP/1.1\r\nHost: atelier.test\r\n"
                + extraHeaders + "Connection: close\r\n\r\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().getMap("headers", String.class, String.class);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Direct {

        @RegisterExtension
        final GatewayWithStandIns gateway = GatewayWithStandIns.all();

        @Test
        void serviceSeesExactlyTheClientsAddress() throws IOException {
            Map<String, String> headers = forwardedHeaders(gateway.port(), "");
            assertThat(headers.get("x-forwarded-for")).isEqualTo("127.0.0.1");
            assertThat(headers.get("x-real-ip")).isEqualTo("127.0.0.1");
            assertThat(headers.get("x-forwarded-proto")).isEqualTo("http");
            assertThat(headers.get("x-forwarded-host")).isEqualTo("atelier.test");
        }

        @Test
        void spoofedAddressHeadersNeverReachTheService() throws IOException {
            Map<String, String> headers = forwardedHeaders(gateway.port(), SPOOFING_HEADERS);
            assertThat(headers.get("x-forwarded-for")).isEqualTo("127.0.0.1");
            assertThat(headers.get("x-real-ip")).isEqualTo("127.0.0.1");
            assertThat(headers.get("x-forwarded-proto")).isEqualTo("http");
            assertThat(headers.get("x-forwarded-host")).isEqualTo("atelier.test");
            assertThat(headers).doesNotContainKeys("forwarded", "x-forwarded-port", "x-forwarded-prefix",
                    "x-forwarded-ssl", "x-forwarded-server", "x_forwarded_for", "x_real_ip", "proxy");
            assertThat(headers.values()).noneSatisfy(value -> assertThat(value).contains("203.0.113"));
        }
    }

    /** Behind a load balancer: real-ip on, with the balancer (here: loopback) as the one trusted proxy. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class BehindATrustedProxy {

        @RegisterExtension
        final GatewayWithStandIns gateway = GatewayWithStandIns
                .withSettings(Map.of("ATELIER_GATEWAY_TRUSTED_PROXIES", "127.0.0.1/32, ::1"));

        @Test
        void clientIsTheAddressTheProxyAppended() throws IOException {
            // The client wrote 198.51.100.1 itself; the balancer appended the address it saw.
            Map<String, String> headers = forwardedHeaders(gateway.port(), "X-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n");
            assertThat(headers.get("x-forwarded-for")).isEqualTo("203.0.113.7");
            assertThat(headers.get("x-real-ip")).isEqualTo("203.0.113.7");
        }

        @Test
        void trustedAddressesInTheChainAreSkipped() throws IOException {
            Map<String, String> headers = forwardedHeaders(gateway.port(), "X-Forwarded-For: 203.0.113.7, 127.0.0.1\r\n");
            assertThat(headers.get("x-forwarded-for")).isEqualTo("203.0.113.7");
        }

        @Test
        void protocolOfATrustedProxyIsKept() throws IOException {
            Map<String, String> headers = forwardedHeaders(gateway.port(), "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n");
            assertThat(headers.get("x-forwarded-proto")).isEqualTo("https");
        }

        @Test
        void otherClientHeadersAreStillDropped() throws IOException {
            Map<String, String> headers = forwardedHeaders(gateway.port(), "X-Forwarded-For: 203.0.113.7\r\nForwarded: for=198.51.100.1\r\n"
                    + "X-Real-IP: 198.51.100.2\r\nX-Forwarded-Port: 8443\r\n");
            assertThat(headers.get("x-real-ip")).isEqualTo("203.0.113.7");
            assertThat(headers).doesNotContainKeys("forwarded", "x-forwarded-port");
        }
    }
}
