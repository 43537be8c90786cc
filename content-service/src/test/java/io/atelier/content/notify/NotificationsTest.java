package io.atelier.content.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.content.support.Member;
import io.atelier.platform.events.Topics;
import io.atelier.platform.events.content.PostCreated;
import io.atelier.platform.feeds.FeedId;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.testing.SocketClient;
import io.atelier.platform.testing.SocketClient.Closing;
import io.atelier.platform.testing.StalledSocket;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Real sockets against the real servers: the commit goes through the outbox, Kafka and the Redis feed. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "content-service"))
@WithTestResource(TestTokenKeys.class)
class NotificationsTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    TokenForge tokens;

    @TestHTTPResource("/ws/notifications")
    URI notifications;

    @Inject
    NotificationFeed feed;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Inject
    Subscribers subscribers;

    private final List<SocketClient> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() {
        sockets.stream().filter(s -> !s.isClosed()).forEach(s -> s.socket().abort());
    }

    private SocketClient connect(Member member, String query) {
        URI uri = URI.create(notifications + (query.isEmpty() ? "" : "?" + query));
        SocketClient client = SocketClient.connect(uri, member.token());
        sockets.add(client);
        return client;
    }

    private static JsonNode parse(String message) {
        try {
            return JSON.readTree(message);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + message, e);
        }
    }

    /** Notifications of one type about one id (in data), in arrival order. */
    private static List<JsonNode> about(SocketClient client, String type, UUID id) {
        return client.messages.stream().map(NotificationsTest::parse)
                .filter(n -> type.equals(n.path("type").asText()))
                .filter(n -> n.path("data").toString().contains(id.toString()))
                .toList();
    }

    private static JsonNode awaitOne(SocketClient client, String type, UUID id) {
        await().atMost(ARRIVAL).until(() -> !about(client, type, id).isEmpty());
        List<JsonNode> found = about(client, type, id);
        assertThat(found).as("%s about %s", type, id).hasSize(1);
        return found.getFirst();
    }

    @Test
    void anEventLackingWhatItsNotificationNeedsIsSkippedAndHoldsNothingUp() {
        Member ada = Member.newMember(tokens);
        SocketClient adas = connect(ada, "types=post_created");
        UUID post = UUID.randomUUID();
        double rejected = meters.counter("atelier.content.notifications.rejected").count();
        try (CloudEventWriter writer = CloudEventWriter.local()) {
            // No createdAt: a producer's bug. Then a sound event on the same key, so the same partition.
            writer.publish(Topics.CONTENT_EVENTS, PostCreated.TYPE, "content-service", post.toString(),
                    "{\"postId\":\"%s\",\"authorId\":\"%s\",\"title\":\"no time\"}".formatted(post, ada.id()));
            writer.publish(Topics.CONTENT_EVENTS, PostCreated.TYPE, "content-service", post.toString(),
                    "{\"postId\":\"%s\",\"authorId\":\"%s\",\"title\":\"sound\",\"createdAt\":\"%s\"}"
                            .formatted(post, ada.id(), Instant.now()));
        }

        assertThat(awaitOne(adas, "post_created", post).path("data").path("title").asText()).isEqualTo("sound");
        assertThat(meters.counter("atelier.content.notifications.rejected").count()).isEqualTo(rejected + 1);
    }

    @Test
    void everyKindOfChangeReachesTheSocketsItShould() {
        Member ada = Member.newMember(tokens);
        Member bob = Member.newMember(tokens);
        SocketClient adas = connect(ada, "");
        SocketClient bobs = connect(bob, "");
        SocketClient deletionsOnly = connect(bob, "types=post_deleted");

        UUID post = ada.postId("Live");
        ada.request().body(Map.of("title", "Live, edited", "body", "b")).put("/api/v1/posts/" + post).then().statusCode(200);
        UUID collection = ada.collectionId("Watched");
        ada.request().body(Map.of("name", "Watched, renamed")).put("/api/v1/collections/" + collection).then().statusCode(200);
        ada.request().body(Map.of("postId", post)).post("/api/v1/collections/" + collection + "/posts").then().statusCode(201);
        ada.request().delete("/api/v1/collections/" + collection + "/posts/" + post).then().statusCode(204);
        ada.request().delete("/api/v1/collections/" + collection).then().statusCode(204);
        ada.request().delete("/api/v1/posts/" + post).then().statusCode(204);

        JsonNode created = awaitOne(adas, "post_created", post);
        assertThat(created.path("id").asText()).matches("\\d+-\\d+");
        assertThat(Instant.parse(created.path("occurredAt").asText())).isNotNull();
        assertThat(created.path("data").path("title").asText()).isEqualTo("Live");
        assertThat(created.path("data").path("author").path("id").asText()).isEqualTo(ada.id().toString());
        assertThat(awaitOne(adas, "post_updated", post).path("data").path("title").asText()).isEqualTo("Live, edited");
        assertThat(awaitOne(adas, "collection_created", collection).path("data").path("name").asText()).isEqualTo("Watched");
        assertThat(awaitOne(adas, "collection_updated", collection).path("data").path("name").asText())
                .isEqualTo("Watched, renamed");
        assertThat(awaitOne(adas, "post_added_to_collection", collection).path("data").path("postId").asText())
                .isEqualTo(post.toString());
        awaitOne(adas, "post_removed_from_collection", collection);
        awaitOne(adas, "collection_deleted", collection);
        awaitOne(adas, "post_deleted", post);

        // Public post events reach bob too; the filtered socket only sees the deletion.
        awaitOne(bobs, "post_created", post);
        awaitOne(bobs, "post_updated", post);
        awaitOne(bobs, "post_deleted", post);
        awaitOne(deletionsOnly, "post_deleted", post);

        // A later notification is proof that bob's sockets were offered everything before it.
        UUID marker = Member.newMember(tokens).postId("Marker");
        awaitOne(adas, "post_created", marker);
        awaitOne(bobs, "post_created", marker);
        assertThat(bobs.messages).noneMatch(m -> m.contains(collection.toString()));
        await().atMost(ARRIVAL).until(() -> deletionsOnly.messages.size() >= 1);
        assertThat(deletionsOnly.messages).allMatch(m -> parse(m).path("type").asText().equals("post_deleted"));
        assertIdsIncrease(adas.messages);
        assertIdsIncrease(bobs.messages);
    }

    @Test
    void aReconnectingClientGetsWhatItMissedThenLiveWithoutGapOrDuplicate() throws Exception {
        Member ada = Member.newMember(tokens);
        SocketClient first = connect(ada, "types=post_created");
        Member writer = Member.newMember(tokens);
        List<UUID> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        int total = 60;
        CompletableFuture<Void> background = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < total; i++) {
                written.add(writer.postId("Stream " + i));
            }
        });
        await().atMost(ARRIVAL).until(() -> mine(first, written).size() >= 5);
        first.socket().abort(); // a dropped connection, not a goodbye
        List<String> seenBefore = mine(first, written);
        String lastSeen = parse(first.messages.getLast()).path("id").asText();

        await().atMost(ARRIVAL).until(() -> written.size() >= Math.min(total, seenBefore.size() + 10)); // missed some
        SocketClient second = connect(ada, "types=post_created&since=" + lastSeen);
        background.get(60, TimeUnit.SECONDS);
        List<UUID> all = List.copyOf(written);

        await().atMost(ARRIVAL).until(() -> seenBefore.size() + mine(second, all).size() >= all.size());
        List<String> together = new ArrayList<>(seenBefore);
        together.addAll(mine(second, all));
        assertThat(together).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all.stream().map(UUID::toString).toList());
        assertThat(FeedId.parse(parse(second.messages.getFirst()).path("id").asText()))
                .isGreaterThan(FeedId.parse(lastSeen));
        assertIdsIncrease(second.messages);
    }

    /** Post ids among {@code written} that this client was told about, in arrival order. */
    private static List<String> mine(SocketClient client, List<UUID> written) {
        Set<String> ids = written.stream().map(UUID::toString).collect(java.util.stream.Collectors.toSet());
        return client.messages.stream().map(NotificationsTest::parse)
                .filter(n -> "post_created".equals(n.path("type").asText()))
                .map(n -> n.path("data").path("postId").asText())
                .filter(ids::contains)
                .toList();
    }

    private static void assertIdsIncrease(List<String> messages) {
        List<FeedId> ids = messages.stream().map(NotificationsTest::parse).filter(n -> n.has("id"))
                .map(n -> FeedId.parse(n.path("id").asText())).toList();
        assertThat(ids).isSortedAccordingTo(FeedId::compareTo).doesNotHaveDuplicates();
    }

    @Test
    void aClientFromBeforeWhatIsKeptIsToldSoThenGetsWhatIsKept() {
        Member ada = Member.newMember(tokens);
        SocketClient client = connect(ada, "since=1-0&types=post_created");
        UUID post = Member.newMember(tokens).postId("After the gap");
        awaitOne(client, "post_created", post);
        JsonNode first = parse(client.messages.getFirst());
        assertThat(first.path("type").asText()).isEqualTo("ERROR");
        assertThat(first.path("code").asText()).isEqualTo("history_truncated");
    }

    @Test
    void handshakesWithoutAValidTokenOrWithBadParametersAreClosedWithAReason() {
        Member ada = Member.newMember(tokens);
        assertThat(closingOf(SocketClient.connect(notifications))).isEqualTo(new Closing(4401, "token missing"));
        String expired = tokens.nested(tokens.claims(ada.id()).issuedAt(Instant.now().minusSeconds(3600))
                .expiresAt(Instant.now().minusSeconds(600)));
        assertThat(closingOf(SocketClient.connect(notifications, expired))).isEqualTo(new Closing(4401, "token expired"));
        assertThat(closingOf(SocketClient.connect(notifications, "garbage"))).isEqualTo(new Closing(4401, "token invalid"));
        assertThat(closingOf(SocketClient.connect(URI.create(notifications + "?access_token=" + ada.token() + "&since=yesterday"))))
                .isEqualTo(new Closing(4400, "since: not a notification id"));
        assertThat(closingOf(connect(ada, "types=post_created,gossip"))).isEqualTo(new Closing(4400, "types: unknown type gossip"));
        assertThat(closingOf(connect(ada, "since=1-0&since=2-0"))).isEqualTo(new Closing(4400, "since: given more than once"));
    }

    @Test
    void theBrowserFormOfTheTokenWorks() {
        Member ada = Member.newMember(tokens);
        SocketClient viaQuery = SocketClient.connect(URI.create(notifications + "?access_token=" + ada.token()));
        sockets.add(viaQuery);
        SocketClient viaSubprotocol = SocketClient.connect(notifications, b -> b.subprotocols("bearer-token-carrier",
                "quarkus-http-upgrade#Authorization#Bearer%20" + ada.token()));
        sockets.add(viaSubprotocol);
        UUID post = ada.postId("Seen by browsers");
        awaitOne(viaQuery, "post_created", post);
        awaitOne(viaSubprotocol, "post_created", post);
    }

    @Test
    void clientsMayPingAndNothingElse() {
        SocketClient client = connect(Member.newMember(tokens), "");
        client.send("{\"type\":\"PING\"}");
        await().atMost(ARRIVAL).until(() -> client.messages.contains(NotificationSocket.PONG));
        client.send("{\"type\":\"SUBSCRIBE\",\"data\":{}}");
        await().atMost(ARRIVAL).until(() -> client.messages.stream().anyMatch(m -> m.contains("\"code\":\"unsupported\"")));
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void aClientThatSendsTooMuchIsClosed() {
        SocketClient client = connect(Member.newMember(tokens), "");
        for (int i = 0; i < 30 && !client.isClosed(); i++) {
            try {
                client.send("{\"type\":\"PING\"}");
            } catch (RuntimeException closedMeanwhile) {
                break;
            }
        }
        assertThat(closingOf(client)).isEqualTo(new Closing(4408, "too many messages"));
    }

    @Test
    void messagesOverTheLimitAreRefusedWith1009() {
        SocketClient client = connect(Member.newMember(tokens), "");
        client.socket().sendText("{\"type\":\"PING\",\"pad\":\"" + "x".repeat(5000) + "\"}", true);
        assertThat(closingOf(client)).isEqualTo(new Closing(1009, "frame too big"));
    }

    @Test
    void aStalledClientIsClosedAndNeverDelaysAHealthyOne() {
        double closedBefore = counted("atelier.content.notifications.too-slow");
        Member stalledMember = Member.newMember(tokens);
        try (StalledSocket stalled = StalledSocket.connect(notifications, stalledMember.token())) {
            Member healthyMember = Member.newMember(tokens);
            SocketClient healthy = connect(healthyMember, "");
            await().atMost(ARRIVAL).until(() -> subscribers.connected(stalledMember.id())
                    && subscribers.connected(healthyMember.id())); // a handshake answers before the socket subscribes
            String batch = appendBurst(4000);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> healthy.messages.stream().filter(m -> m.contains(batch)).count() == 4000);
            assertThat(healthy.isClosed()).isFalse();
            // the stalled client is given up on once it has not taken a page of its catch-up in time
            await().atMost(Duration.ofSeconds(60)).until(() -> counted("atelier.content.notifications.too-slow") > closedBefore);
            assertThat(stalled.closeFrame(Duration.ofSeconds(30))).isEqualTo(new StalledSocket.CloseFrame(4408, "too slow"));
        }
    }

    /**
     * A client that stops reading long enough to fall behind the live notifications, then reads again
     * (a busy tab, a slow network): the rest comes from the feed's history, every one once and in order,
     * and the socket stays open.
     */
    @Test
    void aClientThatFellBehindIsCaughtUpFromHistoryNotClosed() {
        double fellBefore = counted("atelier.content.notifications.fell-behind");
        Member member = Member.newMember(tokens);
        try (StalledSocket slow = StalledSocket.connect(notifications, member.token())) {
            await().atMost(ARRIVAL).until(() -> subscribers.connected(member.id())); // the handshake answers first
            int count = 3000; // more than the kernel's socket buffers and the 1,000 notifications a socket may have waiting hold
            String batch = appendBurst(count);
            await().atMost(Duration.ofSeconds(30)).until(() -> counted("atelier.content.notifications.fell-behind") > fellBefore);
            List<Integer> received = new ArrayList<>();
            while (received.size() < count) {
                String message = slow.texts(1, Duration.ofSeconds(10)).getFirst();
                if (message.contains(batch)) {
                    received.add(parse(message).path("data").path("n").asInt());
                }
            }
            assertThat(received).isEqualTo(java.util.stream.IntStream.range(0, count).boxed().toList());
        }
    }

    /** Appends {@code count} large notifications straight to the feed, faster than a socket sends them. */
    private String appendBurst(int count) {
        String padding = "x".repeat(4000);
        String batch = UUID.randomUUID().toString();
        for (int i = 0; i < count; i++) {
            Notification notification = new Notification(NotificationType.POST_UPDATED, null, Instant.now(),
                    "{\"batch\":\"" + batch + "\",\"n\":" + i + ",\"pad\":\"" + padding + "\"}");
            feed.feed().append(batch + "-" + i, notification.fields());
        }
        return batch;
    }

    private double counted(String counter) {
        var found = meters.find(counter).counter();
        return found == null ? 0 : found.count();
    }

    private static Closing closingOf(SocketClient client) {
        return client.closing.orTimeout(ARRIVAL.toSeconds(), TimeUnit.SECONDS).join();
    }
}
