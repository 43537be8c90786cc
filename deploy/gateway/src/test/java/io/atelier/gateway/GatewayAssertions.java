package io.atelier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;

/** What every answer the gateway gives itself looks like. */
final class GatewayAssertions {

    static final String NOSNIFF = "nosniff";
    static final String CSP = "default-src 'none'; frame-ancestors 'none'";

    private GatewayAssertions() {
    }

    /** An RFC 9457 problem from nginx itself: its fields, the request id in body and header, and the security headers. */
    static void assertGatewayProblem(RawHttp.Response response, int status) {
        assertThat(response.status()).as(response.statusLine()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        JsonPath json = response.json();
        assertThat(json.getString("type")).isEqualTo("about:blank");
        assertThat(json.getString("title")).isNotBlank();
        assertThat(json.getInt("status")).isEqualTo(status);
        assertThat(json.getString("detail")).isNotBlank();
        assertThat(json.getString("requestId")).isNotBlank().isEqualTo(response.header("X-Request-Id").orElseThrow());
        assertSecurityHeaders(response);
    }

    /** Each security header exactly once, with the gateway's value. */
    static void assertSecurityHeaders(RawHttp.Response response) {
        assertThat(response.headers("X-Content-Type-Options")).containsExactly(NOSNIFF);
        assertThat(response.headers("X-Frame-Options")).containsExactly("DENY");
        assertThat(response.headers("Referrer-Policy")).containsExactly("no-referrer");
        assertThat(response.headers("Content-Security-Policy")).containsExactly(CSP);
        assertThat(response.headers("Server")).allSatisfy(server -> assertThat(server).isEqualTo("nginx"));
        assertThat(response.headers("Strict-Transport-Security")).as("no HSTS over plain HTTP").isEmpty();
        assertThat(response.headers("X-Powered-By")).isEmpty();
    }
}
