package io.atelier.workspace.live;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.testing.SocketClient;

/** A project socket as a test sees it: its messages as JSON, found by type. */
record LiveClient(SocketClient socket) {

    static final Duration ARRIVAL = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    static LiveClient connect(URI base, UUID project, String token, String query) {
        URI uri = URI.create(base + "/ws/projects/" + project + (query.isEmpty() ? "" : "?" + query));
        return new LiveClient(SocketClient.connect(uri, token));
    }

    List<JsonNode> all() {
        return socket.messages.stream().map(LiveClient::parse).toList();
    }

    List<JsonNode> ofType(String type) {
        return all().stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    JsonNode await(String type, Predicate<JsonNode> which) {
        try {
            return org.awaitility.Awaitility.await().atMost(ARRIVAL).until(
                    () -> ofType(type).stream().filter(which).findFirst().orElse(null), java.util.Objects::nonNull);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no such " + type + " within " + ARRIVAL + "; received: " + socket.messages
                    + (socket.isClosed() ? "; closed: " + socket.closingNow() : ""), e);
        }
    }

    JsonNode await(String type) {
        return await(type, m -> true);
    }

    /** The sequence numbers of the durable messages received, in order (SNAPSHOT, cursors and errors left out). */
    List<Long> durableSeqs() {
        return all().stream().filter(m -> List.of("USER_JOIN", "USER_LEAVE", "FILE_CHANGE", "MEMBER_REMOVED", "JOB_STATUS")
                .contains(m.path("type").asText())).map(m -> m.path("seq").asLong()).toList();
    }

    void send(String type, String data) {
        socket.send("{\"type\":\"" + type + "\",\"data\":" + data + "}");
    }

    void changeFile(String path, String change) {
        send("FILE_CHANGE", "{\"path\":\"" + path + "\",\"change\":" + change + "}");
    }

    SocketClient.Closing awaitClose() {
        return socket.closing.orTimeout(ARRIVAL.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
    }

    void abort() {
        if (!socket.isClosed()) {
            socket.socket().abort();
        }
    }

    void close() {
        socket.socket().sendClose(1000, "bye").join();
        awaitClose();
    }

    static boolean by(JsonNode message, UUID user) {
        return user.toString().equals(message.path("userId").asText());
    }

    private static JsonNode parse(String message) {
        try {
            return JSON.readTree(message);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + message, e);
        }
    }
}
