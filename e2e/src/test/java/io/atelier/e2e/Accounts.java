package io.atelier.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Real accounts made through the gateway, each from a loopback address of its own (sign-ups are limited per address). */
public final class Accounts {

    /** A signed-up user: its id, email and access token. */
    public record Account(UUID id, String email, String accessToken) {

        /** A JSON request through the gateway with this account's access token. */
        public RequestSpecification request() {
            return RestAssured.given().baseUri(RunningSuite.GATEWAY).contentType(ContentType.JSON)
                    .header("Authorization", "Bearer " + accessToken);
        }
    }

    private static final Pattern ACCESS = Pattern.compile("\"accessToken\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"user\":\\{\"id\":\"([0-9a-f-]{36})\"");

    private Accounts() {
    }

    public static Account signUp(String displayName) {
        String email = "e2e-" + UUID.randomUUID() + "@example.com";
        String body = "{\"email\":\"" + email + "\",\"password\":\"correct horse battery staple\",\"displayName\":\""
                + displayName + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(RunningSuite.GATEWAY + "/api/v1/auth/signup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = LoopbackClients.fromFreshAddress().send(request,
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 201) {
                throw new IllegalStateException("sign-up answered " + response.statusCode() + ": " + response.body());
            }
            return new Account(UUID.fromString(group(ID, response.body())), email, group(ACCESS, response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String group(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected sign-up answer: " + body);
        }
        return m.group(1);
    }
}
