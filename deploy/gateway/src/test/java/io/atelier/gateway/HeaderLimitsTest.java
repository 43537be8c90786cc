package io.atelier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.restassured.path.json.JsonPath;

/**
 * The gateway refuses any request head a service would refuse, so a service never answers 431/414
 * and closes a keep-alive connection that nginx would then use for someone else's request (a 502).
 * The fake services hold Quarkus' default limits (20 KiB of headers, a 4096-byte request line).
 */
class HeaderLimitsTest {

    @RegisterExtension
    static final GatewayWithStandIns gateway = GatewayWithStandIns.all();
    private static HttpClient client;
    private int refusedBefore;

    @BeforeAll
    static void startClient() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    @BeforeEach
    void rememberRefusals() {
        refusedBefore = gateway.upstreams().refusedByServices();
    }

    private int refusedByServicesSinceStart() {
        return gateway.upstreams().refusedByServices() - refusedBefore;
    }

    /** A request carrying {@code total} bytes of padding in header lines of at most {@code lineSize} bytes. */
    private static HttpRequest.Builder padded(String path, int total, int lineSize) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(15));
        int line = 0;
        for (int left = total; left > 0; left -= lineSize) {
            request.header("X-Pad-" + line++, "p".repeat(Math.min(left, lineSize)));
        }
        return request;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertGatewayProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.from(response.body()).getInt("status")).isEqualTo(status);
    }

    private static void assertReachedService(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JsonPath.from(response.body()).getString("service")).isEqualTo("auth-service");
    }

    @Test
    void oversizedHeadersAreAProblem431AndNeverBreakOtherRequests() throws Exception {
        record Outcome(boolean oversized, HttpResponse<String> response) {
        }
        List<Future<Outcome>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 240; i++) {
                int n = i;
                outcomes.add(pool.submit(() -> {
                    if (n % 3 == 0) {
                        // 20 to 64 KiB of headers: over the services' 20 KiB, lines of 4 KiB or one of 9 KiB.
                        int total = 20 * 1024 + (n * 997) % (44 * 1024);
                        int lineSize = n % 2 == 0 ? 4000 : 9000;
                        return new Outcome(true, send(padded("/api/v1/auth/big-" + n, total, lineSize).GET().build()));
                    }
                    HttpRequest.Builder normal = padded("/api/v1/auth/normal-" + n, 200, 200);
                    HttpRequest request = n % 2 == 0 ? normal.GET().build()
                            : normal.POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + "}")).build();
                    return new Outcome(false, send(request));
                }));
            }
        }
        int oversized = 0;
        for (Future<Outcome> future : outcomes) {
            Outcome outcome = future.get();
            if (outcome.oversized()) {
                oversized++;
                assertGatewayProblem(outcome.response(), 431);
            } else {
                assertReachedService(outcome.response());
            }
        }
        assertThat(oversized).isEqualTo(80);
        assertThat(refusedByServicesSinceStart()).isZero();
    }

    @Test
    void everyHeaderSetTheGatewayForwardsFitsTheServicesLimits() {
        int largestForwarded = 0;
        for (int lineSize : new int[] {300, 1000, 4000, 7000, 8100}) {
            for (int total = 8 * 1024; total <= 24 * 1024; total += 256) {
                HttpResponse<String> response = send(padded("/api/v1/auth/sweep", total, lineSize).GET().build());
                if (response.statusCode() == 200) {
                    assertReachedService(response);
                    largestForwarded = Math.max(largestForwarded, total);
                } else {
                    assertGatewayProblem(response, 431);
                }
            }
        }
        assertThat(refusedByServicesSinceStart()).as("requests a service refused").isZero();
        // The limit is 16 KiB of header lines (8 KiB each); somewhat less gets through when lines pack badly.
        assertThat(largestForwarded).isBetween(15 * 1024, FakeUpstreams.SERVICE_MAX_HEADER_SIZE - 1024);
    }

    @Test
    void twoHeaderLinesOfEightKibibytesReachTheService() {
        assertReachedService(send(padded("/api/v1/auth/two-big-lines", 2 * 8100, 8100).GET().build()));
        assertThat(refusedByServicesSinceStart()).isZero();
    }

    @Test
    void aHeaderLineOverEightKibibytesIsAProblem431() {
        assertGatewayProblem(send(padded("/api/v1/auth/one-huge-line", 8200, 8200).GET().build()), 431);
    }

    @Test
    void uriOverFourThousandBytesIsAProblem414AndNeverReachesTheService() {
        String prefix = "/api/v1/auth/";
        for (int length = 3900; length <= 8400; length += length < 4200 ? 7 : 97) {
            String uri = prefix + "u".repeat(length - prefix.length());
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + uri))
                    .GET().build());
            if (length <= 4000) {
                assertReachedService(response);
            } else {
                assertGatewayProblem(response, 414);
            }
        }
        assertThat(refusedByServicesSinceStart()).isZero();
    }

    @Test
    void queryStringCountsTowardsTheUriLimit() {
        String uri = "/api/v1/auth/search?q=" + "q".repeat(4000);
        assertGatewayProblem(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + uri)).GET().build()),
                414);
    }
}
