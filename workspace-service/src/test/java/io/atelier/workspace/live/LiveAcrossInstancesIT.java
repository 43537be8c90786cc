package io.atelier.workspace.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.FreeManagementPort;
import io.atelier.platform.testing.PackagedInstance;
import io.atelier.platform.testing.PrivateRedis;
import io.atelier.workspace.support.Person;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * The packaged application twice, on a Redis of the test's own: members on different instances see each
 * other's changes and presence; a Redis restart in the middle loses no durable message and the sockets keep
 * working; the ghosts of an instance killed with SIGKILL leave within the presence expiry.
 */
@QuarkusIntegrationTest
@WithTestResource(TwoInstancesOwnRedis.class)
@WithTestResource(FreeManagementPort.class)
class LiveAcrossInstancesIT {

    TokenForge tokens;
    PackagedInstance second;
    PrivateRedis redis;
    TwoInstancesOwnRedis.Settings settings;

    private final List<LiveClient> clients = new ArrayList<>();
    private final KnownPeople known = new KnownPeople();

    @AfterEach
    void cleanUp() {
        clients.forEach(LiveClient::abort);
        known.close();
        if (!redis.running()) {
            redis.restart();
        }
    }

    private URI first() {
        return URI.create("http://127.0.0.1:" + RestAssured.port);
    }

    private LiveClient connect(URI instance, Person person, UUID project) {
        LiveClient client = LiveClient.connect(instance, project, person.token(), "");
        clients.add(client);
        return client;
    }

    /** A project of {@code owner}'s with {@code collaborator}, once the users replica has learnt of them. */
    private UUID projectWith(Person owner, Person collaborator) {
        UUID project = owner.projectId("Across " + UUID.randomUUID());
        // every attempt counts against the owner's invitations (30 a minute): poll slowly
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(1500)).until(() -> owner.request()
                .body(java.util.Map.of("userId", collaborator.id(), "role", "COLLABORATOR"))
                .post(Person.collaborators(project)).statusCode() == 201);
        return project;
    }

    @Test
    void membersOnTwoInstancesSeeEachOthersChangesCursorsAndPresence() {
        Person ada = known.create("Ada");
        Person bob = known.create("Bob");
        UUID project = projectWith(ada, bob);
        LiveClient adas = connect(first(), ada, project);
        adas.await("SNAPSHOT");
        LiveClient bobs = connect(second.uri(""), bob, project);
        bobs.await("SNAPSHOT");
        adas.await("USER_JOIN", m -> LiveClient.by(m, bob.id()));

        bobs.changeFile("shared.txt", "\"from the second\"");
        assertThat(adas.await("FILE_CHANGE").path("data").path("change").asText()).isEqualTo("from the second");
        adas.send("CURSOR_UPDATE", "{\"path\":\"shared.txt\",\"line\":4,\"column\":2}");
        assertThat(bobs.await("CURSOR_UPDATE").path("userId").asText()).isEqualTo(ada.id().toString());
    }

    @Test
    void aJobStatusReachesTheProjectsSocketsOnEveryInstanceOnce() throws Exception {
        Person ada = known.create("Ada");
        Person bob = known.create("Bob");
        UUID project = projectWith(ada, bob);
        LiveClient adas = connect(first(), ada, project);
        adas.await("SNAPSHOT");
        LiveClient bobs = connect(second.uri(""), bob, project);
        bobs.await("SNAPSHOT");

        // As job-worker's outbox relay writes it. Both instances are in the relay's consumer group: one of
        // them stores the status, the project's feed brings it to the other.
        UUID job = UUID.randomUUID();
        var change = new io.atelier.platform.events.jobs.JobStatusChanged(job, ada.id(), project, "noop", "SUCCEEDED",
                "RUNNING", 1, 3, null, null, java.time.Instant.now());
        String payload = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(change);
        try (var jobWorker = io.atelier.platform.testing.CloudEventWriter.local()) {
            jobWorker.publish(change.topic(), change.eventType(), "job-worker", change.subject(), payload);
        }

        // The group's first assignment after the instances started can take the broker's session timeout.
        Duration relay = Duration.ofSeconds(90);
        JsonNode onFirst = await().atMost(relay).until(() -> adas.ofType("JOB_STATUS").stream().findFirst().orElse(null),
                java.util.Objects::nonNull);
        JsonNode onSecond = await().atMost(relay).until(() -> bobs.ofType("JOB_STATUS").stream().findFirst().orElse(null),
                java.util.Objects::nonNull);
        assertThat(onSecond).isEqualTo(onFirst);
        assertThat(onFirst.path("data").path("jobId").asText()).isEqualTo(job.toString());
        assertThat(onFirst.path("data").path("status").asText()).isEqualTo("SUCCEEDED");
        // a second socket-bearing instance does not store it again
        bobs.changeFile("after.txt", "1");
        adas.await("FILE_CHANGE");
        assertThat(adas.ofType("JOB_STATUS")).hasSize(1);
        assertThat(bobs.ofType("JOB_STATUS")).hasSize(1);
    }

    @Test
    void aRedisRestartInTheMiddleLosesNoDurableMessage() {
        Person ada = known.create("Ada");
        Person bob = known.create("Bob");
        UUID project = projectWith(ada, bob);
        LiveClient adas = connect(first(), ada, project);
        long start = adas.await("SNAPSHOT").path("seq").asLong();
        LiveClient bobs = connect(second.uri(""), bob, project);
        bobs.await("SNAPSHOT");
        bobs.changeFile("a.txt", "1");
        adas.await("FILE_CHANGE");

        redis.kill();
        for (int i = 2; i <= 4; i++) {
            bobs.changeFile("a.txt", Integer.toString(i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> adas.ofType("FILE_CHANGE").size() == 4);
        redis.restart();
        for (int i = 5; i <= 6; i++) {
            bobs.changeFile("a.txt", Integer.toString(i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> adas.ofType("FILE_CHANGE").size() == 6);

        assertThat(adas.ofType("FILE_CHANGE")).extracting(m -> m.path("data").path("change").asText())
                .containsExactly("1", "2", "3", "4", "5", "6");
        List<Long> seqs = adas.durableSeqs();
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, seqs.getLast()).boxed().toList());
        // cursors cross instances again once Redis is back (the tails reconnected)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            bobs.send("CURSOR_UPDATE", "{\"path\":\"a.txt\",\"line\":1,\"column\":1}");
            assertThat(adas.ofType("CURSOR_UPDATE")).isNotEmpty();
        });
    }

    @Test
    void theGhostsOfAKilledInstanceLeaveWithinThePresenceExpiry() {
        Person ada = known.create("Ada");
        Person bob = known.create("Bob");
        UUID project = projectWith(ada, bob);
        LiveClient adas = connect(first(), ada, project);
        adas.await("SNAPSHOT");
        // A replica consumer killed without leaving holds its partitions for the session timeout: the doomed
        // instance reads the users topic in a group of its own, so the others' replica keeps up meanwhile.
        java.util.Map<String, String> doomedSettings = new java.util.HashMap<>(settings.values());
        doomedSettings.put("mp.messaging.incoming.atelier-users.group.id", "workspace-service.users-doomed-" + UUID.randomUUID());
        // Likewise for job statuses (from now on only: the shared group stores what came before).
        doomedSettings.put("mp.messaging.incoming.job-status.group.id", "workspace-service.job-status-doomed-" + UUID.randomUUID());
        doomedSettings.put("mp.messaging.incoming.job-status.auto.offset.reset", "latest");
        try (PackagedInstance doomed = PackagedInstance.start("workspace-service-doomed", doomedSettings)) {
            LiveClient bobs = connect(doomed.uri(""), bob, project);
            bobs.await("SNAPSHOT");
            adas.await("USER_JOIN", m -> LiveClient.by(m, bob.id()));
            long killedAt = System.nanoTime();
            doomed.kill();

            JsonNode left = await().atMost(Duration.ofSeconds(30)).until(
                    () -> adas.ofType("USER_LEAVE").stream().filter(m -> LiveClient.by(m, bob.id())).findFirst().orElse(null),
                    java.util.Objects::nonNull);
            assertThat(left.path("seq").asLong()).isPositive();
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(
                    TwoInstancesOwnRedis.EXPIRY_SECONDS + 2L * TwoInstancesOwnRedis.HEARTBEAT_SECONDS + 5));
        }
        given(ada).get("/api/v1/projects/" + project + "/workspace/status").then().statusCode(200)
                .body("online.userId", org.hamcrest.Matchers.contains(ada.id().toString()));
    }

    /** People auth-service announced on {@code auth.user-events}, as it does at sign-up. */
    private final class KnownPeople implements AutoCloseable {
        private final io.atelier.platform.testing.CloudEventWriter auth = io.atelier.platform.testing.CloudEventWriter.local();

        Person create(String displayName) {
            Person person = Person.newPerson(tokens);
            auth.publish(io.atelier.platform.events.Topics.AUTH_USER_EVENTS,
                    io.atelier.platform.events.auth.UserCreated.TYPE, "auth-service", person.id().toString(),
                    "{\"id\":\"" + person.id() + "\",\"email\":\"" + person.email() + "\",\"displayName\":\""
                            + displayName + "\",\"createdAt\":\"" + java.time.Instant.now() + "\"}");
            return person;
        }

        @Override
        public void close() {
            auth.close();
        }
    }

    private static io.restassured.specification.RequestSpecification given(Person person) {
        return person.request();
    }
}
