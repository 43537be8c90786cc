package io.atelier.e2e.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.atelier.e2e.LoopbackClients;
import io.atelier.e2e.Accounts;
import io.atelier.e2e.Accounts.Account;
import io.atelier.e2e.RunningSuite;

/**
 * A seeded fuzzer through the real gateway: malformed bodies, headers and paths against every endpoint
 * the suite exposes. Whatever is sent, the answer is never a 5xx (but a deliberate, documented 503) and
 * never carries a stack trace. New services add their endpoints to {@link #ENDPOINTS}. The seed is
 * printed on failure; set {@code -Datelier.fuzz.seed} to replay a run.
 */
class FuzzThroughGatewayTest {

    record Endpoint(String method, String path) {
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/auth/signup"),
            new Endpoint("POST", "/api/v1/auth/login"),
            new Endpoint("POST", "/api/v1/auth/refresh"),
            new Endpoint("POST", "/api/v1/auth/logout"),
            new Endpoint("POST", "/api/v1/auth/logout-all"),
            new Endpoint("GET", "/api/v1/auth/me"),
            new Endpoint("PATCH", "/api/v1/auth/me"),
            new Endpoint("POST", "/api/v1/auth/me/password"),
            new Endpoint("GET", "/api/v1/auth/verify"),
            new Endpoint("GET", "/api/v1/auth/google"),
            new Endpoint("POST", "/api/v1/auth/google/id-token"),
            new Endpoint("GET", "/.well-known/jwks.json"),
            new Endpoint("GET", "/.well-known/openid-configuration"),
            new Endpoint("GET", "/api/v1/posts"),
            new Endpoint("GET", "/api/v1/posts?limit=3&cursor={cursor}&authorId={user}"),
            new Endpoint("POST", "/api/v1/posts"),
            new Endpoint("GET", "/api/v1/posts/{post}"),
            new Endpoint("PUT", "/api/v1/posts/{post}"),
            new Endpoint("DELETE", "/api/v1/posts/{post}"),
            new Endpoint("GET", "/api/v1/collections"),
            new Endpoint("POST", "/api/v1/collections"),
            new Endpoint("GET", "/api/v1/collections/{collection}"),
            new Endpoint("PUT", "/api/v1/collections/{collection}"),
            new Endpoint("DELETE", "/api/v1/collections/{collection}"),
            new Endpoint("GET", "/api/v1/collections/{collection}/posts?limit={user}"),
            new Endpoint("POST", "/api/v1/collections/{collection}/posts"),
            new Endpoint("DELETE", "/api/v1/collections/{collection}/posts/{post}"),
            new Endpoint("GET", "/api/v1/projects?limit={user}&cursor={cursor}"),
            new Endpoint("POST", "/api/v1/projects"),
            new Endpoint("GET", "/api/v1/projects/{project}"),
            new Endpoint("PUT", "/api/v1/projects/{project}"),
            new Endpoint("DELETE", "/api/v1/projects/{project}"),
            new Endpoint("GET", "/api/v1/projects/{project}/collaborators?limit=3&cursor={cursor}"),
            new Endpoint("POST", "/api/v1/projects/{project}/collaborators"),
            new Endpoint("PATCH", "/api/v1/projects/{project}/collaborators/{user}"),
            new Endpoint("DELETE", "/api/v1/projects/{project}/collaborators/{user}"));

    static final int REQUESTS = Integer.getInteger("atelier.fuzz.requests", 3000);
    static final String[] FIELDS = {"email", "password", "displayName", "refreshToken", "currentPassword",
            "newPassword", "idToken", "title", "body", "name", "description", "postId", "role", "userId"};
    /** Stand-ins for the ids, cursors and other values in {@link #ENDPOINTS}' paths. */
    static final String[] PATH_VALUES = {"", "x", "%00", "00000000-0000-0000-0000-000000000000", "-1", "1e9",
            "%7B%7D", "'", "9".repeat(40), "a%2Fb"};
    static final String[] NASTY = {"\\u0000", "\\u0007", "\\ud800", "\\u202e", "%00", "../../", "<script>", "' OR 1=1--",
            "${jndi:ldap://x}", "\\n", "\\\\", "\\\"", "😀", "ÿ", "{{7*7}}", "\\u001b[31m"};
    static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", "text/plain",
            "application/x-www-form-urlencoded", "application/xml", "application/problem+json", "multipart/form-data",
            "application/json; charset=latin1", "*/*", "application/", ";;;"};
    static final String[] ACCEPTS = {"*/*", "application/json", "text/html", "application/xml", "*/*;q=0", "garbage",
            "application/problem+json", "text/*"};
    static final String[] AUTHORIZATIONS = {"Bearer", "Bearer ", "Bearer  x", "Basic dXNlcjpwYXNz", "Bearer a.b.c",
            "Bearer a.b.c.d.e", "bearer eyJhbGciOiJub25lIn0.e30.", "Bearer " + "A".repeat(9000), "Negotiate abc"};

    /** From an address of its own, so its thousands of failed logins limit nobody else. */
    private static final HttpClient CLIENT = LoopbackClients.fromFreshAddress();

    /** A real account with a post and a collection, so that valid tokens reach past authentication. */
    private static Account account;
    private static String post;
    private static String collection;
    private static String project;

    @BeforeAll
    static void suiteIsUp() throws Exception {
        RunningSuite.ensureUp();
        account = Accounts.signUp("Fuzzer");
        post = created("/api/v1/posts", "{\"title\":\"Fuzzed\",\"body\":\"b\"}");
        collection = created("/api/v1/collections", "{\"name\":\"Fuzzed\"}");
        project = created("/api/v1/projects", "{\"name\":\"Fuzzed\"}");
    }

    private static String created(String path, String json) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(RunningSuite.GATEWAY + path))
                .header("Authorization", "Bearer " + account.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(response.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    /** Fills a path's placeholders with the real ids, mostly, or with something else. */
    private static String fill(Random random, String path) {
        return path.replace("{post}", random.nextInt(4) == 0 ? pick(random, PATH_VALUES) : post)
                .replace("{collection}", random.nextInt(4) == 0 ? pick(random, PATH_VALUES) : collection)
                .replace("{project}", random.nextInt(4) == 0 ? pick(random, PATH_VALUES) : project)
                .replace("{user}", random.nextInt(3) == 0 ? pick(random, PATH_VALUES) : account.id().toString())
                .replace("{cursor}", pick(random, PATH_VALUES));
    }

    @Test
    void noInputCausesAServerErrorOrLeaksAStackTrace() throws Exception {
        long seed = Long.getLong("atelier.fuzz.seed", 20261130L);
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < REQUESTS && failures.size() < 20; i++) {
            Endpoint endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            HttpRequest request = request(random, endpoint);
            HttpResponse<String> response;
            try {
                response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                failures.add(describe(request) + " -> connection failed: " + e);
                continue;
            }
            sent++;
            int status = response.statusCode();
            if ((status >= 500 && !deliberate(response)) || leaksInternals(response.body())) {
                failures.add(describe(request) + " -> " + status + " " + cut(response.body()));
            }
        }
        assertThat(failures).as("seed %d, %d requests sent", seed, sent).isEmpty();
        assertThat(sent).isGreaterThan(REQUESTS * 9 / 10);
    }

    private static HttpRequest request(Random random, Endpoint endpoint) {
        String filled = fill(random, endpoint.path());
        String path = random.nextInt(6) == 0 ? mutatePath(random, filled) : filled;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(RunningSuite.GATEWAY + path))
                .timeout(Duration.ofSeconds(30));
        String body = body(random);
        String method = random.nextInt(10) == 0 ? pick(random, new String[] {"PUT", "DELETE", "OPTIONS", "PATCH"})
                : endpoint.method();
        boolean withBody = !method.equals("GET") || random.nextInt(8) == 0;
        builder.method(method, withBody ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        if (random.nextInt(8) != 0) {
            builder.header("Content-Type", pick(random, CONTENT_TYPES));
        }
        if (random.nextInt(3) == 0) {
            builder.header("Accept", pick(random, ACCEPTS));
        }
        int authorization = random.nextInt(6);
        if (authorization < 3) {
            builder.header("Authorization", "Bearer " + account.accessToken()); // reach the endpoint's own checks
        } else if (authorization == 3) {
            builder.header("Authorization", pick(random, AUTHORIZATIONS));
        }
        if (random.nextInt(5) == 0) {
            builder.header("X-Request-Id", random.nextBoolean() ? "fuzz-" + random.nextInt() : "bad id <script> " + "x".repeat(200));
        }
        if (random.nextInt(6) == 0) {
            builder.header("X-Forwarded-For", random.nextBoolean() ? "203.0.113." + random.nextInt(256) : "not an address");
        }
        if (random.nextInt(20) == 0) {
            builder.header("X-Big", "y".repeat(random.nextInt(2000, 12000)));
        }
        return builder.build();
    }

    private static String mutatePath(Random random, String path) {
        return switch (random.nextInt(6)) {
            case 0 -> path + "/" + random.nextInt();
            case 1 -> path + "%00";
            case 2 -> path + "/..%2f..%2fetc%2fpasswd";
            case 3 -> path + "?redirect_uri=" + pick(random, new String[] {"https://evil.example", "%00", "http://localhost:3000/auth/callback"});
            case 4 -> path.toUpperCase();
            default -> path + ";jsessionid=1";
        };
    }

    /** Mostly JSON-ish bodies one mistake away from valid, some not JSON at all. */
    private static String body(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[1,2,3]";
            case 3 -> "null";
            case 4 -> "{\"" + pick(random, FIELDS) + "\":\"a\",\"" + pick(random, FIELDS) + "\":\"b\"}";
            case 5 -> "{\"a\":" + "[".repeat(random.nextInt(1, 3000)) + "}";
            default -> object(random);
        };
    }

    private static String object(Random random) {
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(0, 5);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                json.append(',');
            }
            json.append('"').append(random.nextInt(12) == 0 ? "unknown" + random.nextInt(9) : pick(random, FIELDS))
                    .append("\":").append(value(random));
        }
        return json.append(random.nextInt(15) == 0 ? "" : "}").toString();
    }

    private static String value(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> "true";
            case 2 -> "null";
            case 3 -> "{\"x\":1}";
            case 4 -> "[\"a\"]";
            case 5 -> "\"" + "z".repeat(random.nextInt(100, 20_000)) + "\"";
            case 6 -> "\"user-" + random.nextInt(1000) + pick(random, NASTY) + "@example.com\"";
            case 7 -> "\"" + pick(random, NASTY) + pick(random, NASTY) + "\"";
            default -> "\"correct horse " + random.nextInt() + "\"";
        };
    }

    /**
     * A 503 a service chose to give, with a documented problem type (docs/problems.md): hashing
     * capacity saturated ({@code busy}, with Retry-After), or Google sign-in not configured here.
     */
    private static boolean deliberate(HttpResponse<String> response) {
        return response.statusCode() == 503 && (response.body().contains("\"type\":\"tag:atelier.dev,2026:problem:busy\"")
                || response.body().contains("\"type\":\"tag:atelier.dev,2026:problem:google-not-configured\""));
    }

    private static boolean leaksInternals(String body) {
        return body.contains("Exception") || body.contains("\tat ") || body.contains("at io.") || body.contains("at java.")
                || body.contains("<html") || body.contains("org.hibernate") || body.contains("PSQL");
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri() + " " + request.headers().map().keySet();
    }

    private static String cut(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
