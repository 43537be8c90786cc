package io.atelier.workspace.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.testing.SocketClient;
import io.atelier.platform.users.UserDirectory;
import io.atelier.workspace.support.KnownUsers;
import io.atelier.workspace.support.Person;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Real sockets on the real servers: handshakes, presence, roles, ordering, resuming, limits. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
class ProjectSocketTest {

    TokenForge tokens;

    @Inject
    UserDirectory directory;

    @TestHTTPResource("/")
    URI base;

    private KnownUsers known;
    private final List<LiveClient> clients = new ArrayList<>();

    @BeforeEach
    void users() {
        known = new KnownUsers(tokens, directory);
    }

    @AfterEach
    void closeAll() {
        clients.forEach(LiveClient::abort);
        known.close();
    }

    private LiveClient connect(Person person, UUID project, String query) {
        LiveClient client = LiveClient.connect(URI.create(base.toString().replaceAll("/$", "")), project, person.token(), query);
        clients.add(client);
        return client;
    }

    private LiveClient connect(Person person, UUID project) {
        return connect(person, project, "");
    }

    /** Connected and sent its SNAPSHOT: in the project's channel (a handshake's answer comes before that). */
    private LiveClient joined(Person person, UUID project) {
        LiveClient client = connect(person, project);
        client.await("SNAPSHOT");
        return client;
    }

    @Test
    void refusesHandshakesWithAClearCloseCode() {
        Person ada = known.create("Ada");
        Person stranger = Person.newPerson(tokens);
        UUID project = ada.projectId("Closed doors");

        SocketClient noToken = SocketClient.connect(URI.create(base + "ws/projects/" + project));
        assertThat(noToken.closing.join()).isEqualTo(new SocketClient.Closing(4401, "token missing"));
        assertThat(connect(stranger, project).awaitClose()).isEqualTo(new SocketClient.Closing(4403, "not a member of this project"));
        assertThat(connect(ada, UUID.randomUUID()).awaitClose().code()).isEqualTo(4403);
        assertThat(LiveClient.connect(URI.create(base.toString().replaceAll("/$", "")), null, ada.token(), "").awaitClose())
                .isEqualTo(new SocketClient.Closing(4400, "projectId: not a project id"));
        assertThat(connect(ada, project, "lastSeq=-1").awaitClose().code()).isEqualTo(4400);
        assertThat(connect(ada, project, "lastSeq=999999").awaitClose())
                .satisfies(closing -> assertThat(closing.reason()).startsWith("lastSeq: the project is at"));
        String expired = tokens.nested(tokens.claims(ada.id()).expiresAt(java.time.Instant.now().minusSeconds(60)));
        assertThat(LiveClient.connect(URI.create(base.toString().replaceAll("/$", "")), project, expired, "").awaitClose().code())
                .isEqualTo(4401);
    }

    @Test
    void aNewcomerGetsASnapshotAndTheOthersSeeThemComeAndGo() {
        Person ada = known.create("Ada Lovelace");
        Person bob = known.create("Bob");
        UUID project = ada.projectId("Presence");
        ada.invite(project, bob, "COLLABORATOR");

        LiveClient adas = connect(ada, project);
        JsonNode snapshot = adas.await("SNAPSHOT");
        assertThat(snapshot.path("projectId").asText()).isEqualTo(project.toString());
        assertThat(snapshot.path("data").path("role").asText()).isEqualTo("OWNER");
        assertThat(snapshot.path("data").path("online").findValuesAsText("displayName")).containsExactly("Ada Lovelace");

        LiveClient bobs = connect(bob, project);
        JsonNode bobsSnapshot = bobs.await("SNAPSHOT");
        assertThat(bobsSnapshot.path("data").path("online").findValuesAsText("userId"))
                .containsExactlyInAnyOrder(ada.id().toString(), bob.id().toString());
        JsonNode joined = adas.await("USER_JOIN", m -> LiveClient.by(m, bob.id()));
        assertThat(joined.path("seq").asLong()).isGreaterThan(snapshot.path("seq").asLong());
        assertThat(bobs.ofType("USER_JOIN")).noneMatch(m -> LiveClient.by(m, bob.id()));

        given(ada).get("/api/v1/projects/" + project + "/workspace/status").then().statusCode(200)
                .body("online.displayName", org.hamcrest.Matchers.containsInAnyOrder("Ada Lovelace", "Bob"))
                .body("online.role", org.hamcrest.Matchers.containsInAnyOrder("OWNER", "COLLABORATOR"));

        bobs.close();
        adas.await("USER_LEAVE", m -> LiveClient.by(m, bob.id()));
        given(ada).get("/api/v1/projects/" + project + "/workspace/status").then().statusCode(200)
                .body("online.displayName", org.hamcrest.Matchers.contains("Ada Lovelace"));
    }

    @Test
    void aViewerCannotChangeFilesAndNothingIsBroadcast() {
        Person ada = known.create("Ada");
        Person vic = known.create("Vic");
        Person cole = known.create("Cole");
        UUID project = ada.projectId("Read only for some");
        ada.invite(project, vic, "VIEWER");
        ada.invite(project, cole, "COLLABORATOR");
        LiveClient adas = joined(ada, project);
        LiveClient vics = joined(vic, project);
        LiveClient coles = joined(cole, project);

        vics.changeFile("README.md", "{\"insert\":\"viewer was here\"}");
        JsonNode error = vics.await("ERROR");
        assertThat(error.path("code").asText()).isEqualTo("forbidden");

        coles.changeFile("README.md", "{\"insert\":\"hello\"}");
        JsonNode change = vics.await("FILE_CHANGE");
        assertThat(change.path("userId").asText()).isEqualTo(cole.id().toString());
        assertThat(change.path("data").path("path").asText()).isEqualTo("README.md");
        assertThat(change.path("data").path("change").path("insert").asText()).isEqualTo("hello");
        coles.await("FILE_CHANGE"); // the author gets it back, numbered
        assertThat(adas.await("FILE_CHANGE").path("seq")).isEqualTo(change.path("seq"));
        assertThat(adas.ofType("FILE_CHANGE")).hasSize(1); // the viewer's never went out

        given(ada).get("/api/v1/projects/" + project + "/workspace/status").then().statusCode(200)
                .body("recentFiles.path", org.hamcrest.Matchers.contains("README.md"))
                .body("recentFiles[0].changedBy.displayName", org.hamcrest.Matchers.equalTo("Cole"));
    }

    @Test
    void aRoleChangeAppliesToTheNextMessage() {
        Person ada = known.create("Ada");
        Person cole = known.create("Cole");
        UUID project = ada.projectId("Demotion");
        ada.invite(project, cole, "COLLABORATOR");
        LiveClient coles = connect(cole, project);
        coles.await("SNAPSHOT");
        coles.changeFile("a.txt", "1");
        coles.await("FILE_CHANGE");

        ada.request().body(Map.of("role", "VIEWER")).patch(Person.collaborators(project) + "/" + cole.id())
                .then().statusCode(200);
        coles.changeFile("a.txt", "2");
        assertThat(coles.await("ERROR").path("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void badMessagesAreAnsweredAndTheSocketStaysOpen() {
        Person ada = known.create("Ada");
        UUID project = ada.projectId("Bad input");
        LiveClient adas = connect(ada, project);
        adas.await("SNAPSHOT");
        adas.socket().send("not json");
        adas.send("FILE_CHANGE", "{\"path\":\"\",\"change\":1}");
        adas.send("SHOUT", "{}");
        adas.socket().send("{\"type\":\"PING\"}");
        adas.await("PONG");
        assertThat(adas.ofType("ERROR")).extracting(m -> m.path("code").asText()).containsExactly("bad_message",
                "bad_message", "bad_message");
        assertThat(adas.ofType("ERROR")).extracting(m -> m.path("message").asText())
                .containsExactly("not JSON", "data.path: required text", "type: one of PING, FILE_CHANGE, CURSOR_UPDATE");
        assertThat(adas.socket().isClosed()).isFalse();
    }

    @Test
    void cursorMovesAreThrottledAndCoalescedToTheNewest() {
        Person ada = known.create("Ada");
        Person bob = known.create("Bob");
        UUID project = ada.projectId("Cursors");
        ada.invite(project, bob, "VIEWER");
        LiveClient adas = joined(ada, project);
        LiveClient bobs = joined(bob, project);

        long start = System.nanoTime();
        for (int line = 0; line < 60; line++) {
            bobs.send("CURSOR_UPDATE", "{\"path\":\"a.txt\",\"line\":" + line + ",\"column\":1}");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode last = adas.await("CURSOR_UPDATE", m -> m.path("data").path("line").asInt() == 59);
        assertThat(last.path("userId").asText()).isEqualTo(bob.id().toString());
        assertThat(last.path("data").toString()).isEqualTo("{\"path\":\"a.txt\",\"line\":59,\"column\":1}");
        // 20 a second at most, plus the first at once and the newest after the last interval
        assertThat(adas.ofType("CURSOR_UPDATE")).hasSizeLessThanOrEqualTo((int) Math.ceil(seconds * 20) + 2);
        assertThat(bobs.ofType("CURSOR_UPDATE")).as("nobody is sent their own cursor").isEmpty();
    }

    @Test
    void aReconnectingClientGetsWhatItMissedThenLiveWithoutGapOrDuplicate() {
        Person ada = known.create("Ada");
        Person cole = known.create("Cole");
        UUID project = ada.projectId("Resume");
        ada.invite(project, cole, "COLLABORATOR");
        LiveClient coles = connect(cole, project);
        coles.await("SNAPSHOT");

        LiveClient first = connect(ada, project);
        long seen = first.await("SNAPSHOT").path("seq").asLong();
        coles.changeFile("a.txt", "1");
        seen = first.await("FILE_CHANGE").path("seq").asLong();
        first.close();

        for (int i = 2; i <= 4; i++) {
            coles.changeFile("a.txt", Integer.toString(i));
        }
        long before = seen;
        await().atMost(LiveClient.ARRIVAL).until(() -> coles.ofType("FILE_CHANGE").size() == 4);
        LiveClient again = connect(ada, project, "lastSeq=" + before);
        long joinedAt = again.await("SNAPSHOT").path("seq").asLong();
        coles.changeFile("a.txt", "5");
        await().atMost(LiveClient.ARRIVAL).until(() -> again.ofType("FILE_CHANGE").size() == 4);

        List<Long> seqs = again.durableSeqs();
        assertThat(seqs).as("everything after lastSeq, once, in order").containsExactlyElementsOf(
                LongStream.rangeClosed(before + 1, seqs.getLast()).boxed().toList());
        assertThat(seqs.getLast()).isGreaterThan(joinedAt);
        assertThat(again.ofType("FILE_CHANGE")).extracting(m -> m.path("data").path("change").asText())
                .containsExactly("2", "3", "4", "5");
        assertThat(again.all().getFirst().path("type").asText()).isEqualTo("SNAPSHOT");
    }

    @Test
    void aRemovedMemberIsDisconnectedAndTheOthersAreTold() {
        Person ada = known.create("Ada");
        Person bob = known.create("Bob");
        UUID project = ada.projectId("Removal");
        ada.invite(project, bob, "COLLABORATOR");
        LiveClient adas = joined(ada, project);
        LiveClient bobs = joined(bob, project);

        ada.request().delete(Person.collaborators(project) + "/" + bob.id()).then().statusCode(204);

        assertThat(bobs.awaitClose()).isEqualTo(new SocketClient.Closing(4403, "removed from the project"));
        JsonNode removed = adas.await("MEMBER_REMOVED");
        assertThat(removed.path("data").path("userId").asText()).isEqualTo(bob.id().toString());
        assertThat(connect(bob, project).awaitClose().code()).isEqualTo(4403);
    }

    @Test
    void deletingTheProjectClosesItsSockets() {
        Person ada = known.create("Ada");
        UUID project = ada.projectId("Short-lived");
        LiveClient adas = connect(ada, project);
        adas.await("SNAPSHOT");
        ada.request().delete("/api/v1/projects/" + project).then().statusCode(204);
        assertThat(adas.awaitClose()).isEqualTo(new SocketClient.Closing(4403, "project deleted"));
    }

    @Test
    void limitsCloseTheOffenderWithAReason() {
        Person ada = known.create("Ada");
        UUID project = ada.projectId("Limits");

        List<LiveClient> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(connect(ada, project));
        }
        many.forEach(client -> client.await("SNAPSHOT"));
        assertThat(connect(ada, project).awaitClose())
                .isEqualTo(new SocketClient.Closing(4408, "too many connections (at most 10 per user)"));
        many.forEach(LiveClient::close);

        LiveClient chatty = connect(ada, project);
        chatty.await("SNAPSHOT");
        for (int i = 0; i < 150 && !chatty.socket().isClosed(); i++) {
            try {
                chatty.socket().send("{\"type\":\"PING\"}");
            } catch (RuntimeException closedMeanwhile) {
                break;
            }
        }
        assertThat(chatty.awaitClose()).isEqualTo(new SocketClient.Closing(4408, "too many messages"));

        LiveClient big = connect(ada, project);
        big.await("SNAPSHOT");
        big.changeFile("a.txt", "\"" + "x".repeat(70_000) + "\"");
        assertThat(big.awaitClose().code()).isEqualTo(1009);
    }

    private static io.restassured.specification.RequestSpecification given(Person person) {
        return person.request();
    }
}
