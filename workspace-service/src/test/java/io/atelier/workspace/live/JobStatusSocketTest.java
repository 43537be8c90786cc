package io.atelier.workspace.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.Topics;
import io.atelier.platform.events.jobs.JobStatusChanged;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.users.UserDirectory;
import io.atelier.workspace.support.KnownUsers;
import io.atelier.workspace.support.Person;
import io.atelier.workspace.config.LiveConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * job-worker's {@code jobs.status} on project sockets as {@code JOB_STATUS}: records written to the real topic
 * exactly as job-worker's outbox relay writes them (binary-mode CloudEvents, keyed by the job id, source
 * {@code job-worker}, the payload as a Quarkus ObjectMapper writes the record).
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
class JobStatusSocketTest {

    /**
     * Usually well under a second; the first time after start up to the broker's session timeout (45 s) when
     * a member of the same consumer group went away without leaving (a killed test JVM), plus a backlog of
     * job-worker's own test records on the first run against a broker.
     */
    private static final Duration RELAY_ARRIVAL = Duration.ofSeconds(120);

    TokenForge tokens;

    @Inject
    UserDirectory directory;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Inject
    DataSource database;

    @Inject
    Frames frames;

    @Inject
    Clock clock;

    @Inject
    LiveConfig config;

    @TestHTTPResource("/")
    URI base;

    private KnownUsers known;
    private CloudEventWriter jobWorker;
    private final List<LiveClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        known = new KnownUsers(tokens, directory);
        jobWorker = CloudEventWriter.local();
    }

    @AfterEach
    void closeAll() {
        clients.forEach(LiveClient::abort);
        known.close();
        jobWorker.close();
    }

    @Test
    void everyMemberSeesTheStatusesOfAProjectJobInOrder() {
        Person ada = known.create("Ada");
        Person vic = known.create("Vic");
        UUID project = ada.projectId("Jobs");
        ada.invite(project, vic, "VIEWER");
        LiveClient adas = joined(ada, project);
        LiveClient vics = joined(vic, project);
        adas.await("USER_JOIN", m -> LiveClient.by(m, vic.id()));

        UUID job = UUID.randomUUID();
        Instant submitted = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String longError = "timeout talking to the webhook; ".repeat(100);
        publish(change(job, ada.id(), project, "QUEUED", null, 0, null, submitted));
        publish(change(job, ada.id(), project, "RUNNING", "QUEUED", 1, null, submitted.plusSeconds(1)));
        publish(change(job, ada.id(), project, "RETRYING", "RUNNING", 1, longError, submitted.plusSeconds(2)));

        JsonNode retrying = awaitJob(vics, job, "RETRYING");
        List<JsonNode> seen = jobStatuses(vics, job);
        assertThat(seen).extracting(m -> m.path("data").path("status").asText())
                .containsExactly("QUEUED", "RUNNING", "RETRYING");
        assertThat(seen).extracting(m -> m.path("seq").asLong()).as("consecutive: nothing else happened meanwhile")
                .containsExactly(seen.getFirst().path("seq").asLong(), seen.getFirst().path("seq").asLong() + 1,
                        seen.getFirst().path("seq").asLong() + 2);

        assertThat(retrying.path("projectId").asText()).isEqualTo(project.toString());
        assertThat(retrying.path("userId").asText()).as("who submitted the job").isEqualTo(ada.id().toString());
        JsonNode data = retrying.path("data");
        assertThat(data.path("jobId").asText()).isEqualTo(job.toString());
        assertThat(data.path("type").asText()).isEqualTo("webhook");
        assertThat(data.path("previousStatus").asText()).isEqualTo("RUNNING");
        assertThat(data.path("attempts").asInt()).isEqualTo(1);
        assertThat(data.path("maxAttempts").asInt()).isEqualTo(3);
        assertThat(data.path("at").asText()).isEqualTo(submitted.plusSeconds(2).toString());
        assertThat(data.path("runAt").asText()).isEqualTo(submitted.plusSeconds(62).toString());
        assertThat(data.path("lastError").asText()).hasSize(1000).endsWith("…").startsWith("timeout talking");
        assertThat(seen.getFirst().path("data").path("previousStatus").isNull()).isTrue();
        assertThat(seen.getFirst().path("data").path("lastError").isNull()).isTrue();

        awaitJob(adas, job, "RETRYING");
        assertThat(jobStatuses(adas, job)).extracting(m -> m.path("seq").asLong())
                .containsExactlyElementsOf(seen.stream().map(m -> m.path("seq").asLong()).toList());
    }

    @Test
    void aClientThatResumesWithLastSeqGetsTheStatusesItMissed() {
        Person ada = known.create("Ada");
        Person cole = known.create("Cole");
        UUID project = ada.projectId("Jobs while away");
        ada.invite(project, cole, "COLLABORATOR");
        LiveClient coles = joined(cole, project);
        LiveClient first = connect(ada, project, "");
        long seen = first.await("SNAPSHOT").path("seq").asLong();
        seen = coles.await("USER_JOIN", m -> LiveClient.by(m, ada.id())).path("seq").asLong();
        first.close();

        UUID job = UUID.randomUUID();
        publish(change(job, ada.id(), project, "SUCCEEDED", "RUNNING", 1, null, Instant.now()));
        JsonNode live = awaitJob(coles, job, "SUCCEEDED");

        LiveClient again = connect(ada, project, "lastSeq=" + seen);
        again.await("SNAPSHOT");
        JsonNode replayed = awaitJob(again, job, "SUCCEEDED");
        assertThat(replayed).as("the very frame that was sent live").isEqualTo(live);
        assertThat(again.durableSeqs()).startsWith(seen + 1).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aRedeliveredEventIsShownOnce() {
        Person ada = known.create("Ada");
        UUID project = ada.projectId("Redelivery");
        LiveClient adas = joined(ada, project);
        double duplicates = skipped("duplicate");

        UUID job = UUID.randomUUID();
        ProducerRecord<String, String> queued = record(UUID.randomUUID().toString(),
                change(job, ada.id(), project, "QUEUED", null, 0, null, Instant.now()));
        jobWorker.send(queued);
        jobWorker.send(queued); // the relay published it, then died before marking it sent
        publish(change(job, ada.id(), project, "RUNNING", "QUEUED", 1, null, Instant.now()));

        awaitJob(adas, job, "RUNNING");
        List<JsonNode> seen = jobStatuses(adas, job);
        assertThat(seen).extracting(m -> m.path("data").path("status").asText()).containsExactly("QUEUED", "RUNNING");
        assertThat(seen.get(1).path("seq").asLong()).isEqualTo(seen.get(0).path("seq").asLong() + 1);
        assertThat(stored(job)).isEqualTo(2);
        // At least: a redelivery of job-worker's own test records on the shared topic may count meanwhile.
        assertThat(skipped("duplicate")).isGreaterThanOrEqualTo(duplicates + 1);
    }

    @Test
    void jobsOfNoProjectOfAGoneProjectOrOfANonMemberAreSkippedAndCounted() {
        Person ada = known.create("Ada");
        Person mallory = known.create("Mallory");
        UUID project = ada.projectId("Still here");
        UUID gone = ada.projectId("Deleted soon");
        ada.request().delete("/api/v1/projects/" + gone).then().statusCode(204);
        LiveClient adas = joined(ada, project);
        double noProject = skipped("no-project");
        double projectGone = skipped("project-gone");
        double notAMember = skipped("not-a-member");

        UUID job = UUID.randomUUID();
        UUID orphan = UUID.randomUUID();
        UUID intruder = UUID.randomUUID();
        publish(change(job, ada.id(), null, "QUEUED", null, 0, null, Instant.now()));
        publish(change(orphan, ada.id(), gone, "QUEUED", null, 0, null, Instant.now()));
        // job-worker took Mallory's job with Ada's project id: its status must not show there
        publish(change(intruder, mallory.id(), project, "QUEUED", null, 0, "spam for Ada's project", Instant.now()));
        // Behind both on their partitions (same keys): once these arrive, the two before them were handled.
        publish(change(job, ada.id(), project, "RUNNING", "QUEUED", 1, null, Instant.now()));
        publish(change(orphan, ada.id(), project, "RUNNING", "QUEUED", 1, null, Instant.now()));
        publish(change(intruder, ada.id(), project, "RUNNING", "QUEUED", 1, null, Instant.now()));
        awaitJob(adas, job, "RUNNING");
        awaitJob(adas, orphan, "RUNNING");
        awaitJob(adas, intruder, "RUNNING");

        assertThat(jobStatuses(adas, job)).extracting(m -> m.path("data").path("status").asText()).containsExactly("RUNNING");
        assertThat(jobStatuses(adas, orphan)).extracting(m -> m.path("data").path("status").asText()).containsExactly("RUNNING");
        assertThat(stored(job)).as("only the project's status is in any project's log").isEqualTo(1);
        assertThat(stored(orphan)).isEqualTo(1);
        assertThat(jobStatuses(adas, intruder)).extracting(m -> m.path("userId").asText()).containsExactly(ada.id().toString());
        assertThat(stored(intruder)).isEqualTo(1);
        assertThat(skipped("not-a-member")).isEqualTo(notAMember + 1);
        // At least: job-worker's own test records on the shared topic may be skipped for the same reasons meanwhile.
        assertThat(skipped("no-project")).isGreaterThanOrEqualTo(noProject + 1);
        assertThat(skipped("project-gone")).isGreaterThanOrEqualTo(projectGone + 1);
    }

    @Test
    void malformedRecordsAreSkippedAndCountedAndTheRelayGoesOn() {
        Person ada = known.create("Ada");
        UUID project = ada.projectId("Robust");
        LiveClient adas = joined(ada, project);
        double notCloudEvents = skipped("not-a-cloud-event");
        double unreadable = skipped("unreadable");
        double otherTypes = skipped("other-type");

        UUID job = UUID.randomUUID();
        String key = job.toString();
        ProducerRecord<String, String> noId = record(UUID.randomUUID().toString(),
                change(job, ada.id(), project, "QUEUED", null, 0, null, Instant.now()));
        noId.headers().remove("ce_id");
        jobWorker.send(noId);
        ProducerRecord<String, String> structured = record(UUID.randomUUID().toString(),
                change(job, ada.id(), project, "QUEUED", null, 0, null, Instant.now()));
        CloudEventWriter.header(structured.headers(), "content-type", "application/cloudevents+json");
        jobWorker.send(structured);
        jobWorker.send(CloudEventWriter.record(Topics.JOBS_STATUS, UUID.randomUUID().toString(),
                JobStatusChanged.TYPE, "job-worker", key, "{not json"));
        jobWorker.send(CloudEventWriter.record(Topics.JOBS_STATUS, UUID.randomUUID().toString(),
                JobStatusChanged.TYPE, "job-worker", key,
                "{\"jobId\":\"" + job + "\",\"userId\":\"" + ada.id() + "\",\"projectId\":\"" + project
                        + "\",\"type\":\"webhook\",\"attempts\":0}")); // no status
        jobWorker.send(CloudEventWriter.record(Topics.JOBS_STATUS, UUID.randomUUID().toString(),
                JobStatusChanged.TYPE, "job-worker", key, "null"));
        jobWorker.send(CloudEventWriter.record(Topics.JOBS_STATUS, UUID.randomUUID().toString(),
                "jobs.job.something-else", "job-worker", key, "{}"));
        publish(change(job, ada.id(), project, "QUEUED", null, 0, null, Instant.now()));

        awaitJob(adas, job, "QUEUED");
        assertThat(jobStatuses(adas, job)).hasSize(1);
        assertThat(stored(job)).isEqualTo(1);
        assertThat(skipped("not-a-cloud-event")).isEqualTo(notCloudEvents + 2);
        assertThat(skipped("unreadable")).isEqualTo(unreadable + 3);
        assertThat(skipped("other-type")).isEqualTo(otherTypes + 1);
        assertThat(adas.socket().isClosed()).isFalse();
    }

    @Test
    void aStatusTheDatabaseRefusesForNowIsHeldAndRetriedAndOneItRefusesForGoodIsSkipped() {
        Person ada = known.create("Ada");
        UUID held = ada.projectId("Database away");
        UUID refused = ada.projectId("Database says no");
        RefusingLog refusing = new RefusingLog(database, frames, clock, config);
        refusing.refuse(held, new SQLException("connection lost", "08006"), 3);
        refusing.refuse(refused, new SQLException("value too long", "22001"), 1);
        QuarkusMock.installMockForType(refusing, ProjectLog.class);
        LiveClient heldSocket = joined(ada, held);
        LiveClient refusedSocket = joined(ada, refused);
        double retries = metrics.get("atelier.workspace.jobs.retries").counter().count();
        double unstorable = skipped("unstorable");

        UUID job = UUID.randomUUID();
        publish(change(job, ada.id(), held, "QUEUED", null, 0, null, Instant.now()));
        publish(change(job, ada.id(), held, "RUNNING", "QUEUED", 1, null, Instant.now()));
        UUID other = UUID.randomUUID();
        publish(change(other, ada.id(), refused, "QUEUED", null, 0, null, Instant.now()));
        publish(change(other, ada.id(), refused, "RUNNING", "QUEUED", 1, null, Instant.now()));

        awaitJob(heldSocket, job, "RUNNING");
        assertThat(jobStatuses(heldSocket, job)).extracting(m -> m.path("data").path("status").asText())
                .as("held, not lost, not overtaken").containsExactly("QUEUED", "RUNNING");
        assertThat(metrics.get("atelier.workspace.jobs.retries").counter().count()).isGreaterThanOrEqualTo(retries + 3);
        awaitJob(refusedSocket, other, "RUNNING");
        assertThat(jobStatuses(refusedSocket, other)).extracting(m -> m.path("data").path("status").asText())
                .as("the refused one skipped, the next stored").containsExactly("RUNNING");
        assertThat(skipped("unstorable")).isEqualTo(unstorable + 1);
        assertThat(stored(job)).isEqualTo(2);
        assertThat(stored(other)).isEqualTo(1);
    }

    /** The real log, but its first appends to chosen projects fail as the database would. */
    static final class RefusingLog extends ProjectLog {
        private final Map<UUID, SQLException> failures = new ConcurrentHashMap<>();
        private final Map<UUID, AtomicInteger> remaining = new ConcurrentHashMap<>();

        RefusingLog(DataSource database, Frames frames, Clock clock, LiveConfig config) {
            super(database, frames, clock, config);
        }

        void refuse(UUID project, SQLException failure, int times) {
            failures.put(project, failure);
            remaining.put(project, new AtomicInteger(times));
        }

        @Override
        Optional<LiveMessage> appendInTransaction(UUID projectId, MessageType type, UUID userId, JsonNode data)
                throws SQLException {
            AtomicInteger left = remaining.get(projectId);
            if (left != null && left.getAndDecrement() > 0) {
                throw failures.get(projectId);
            }
            return super.appendInTransaction(projectId, type, userId, data);
        }
    }

    private JobStatusChanged change(UUID job, UUID owner, UUID project, String status, String previous, int attempts,
            String lastError, Instant at) {
        return new JobStatusChanged(job, owner, project, "webhook", status, previous, attempts, 3, lastError,
                at.truncatedTo(ChronoUnit.MILLIS).plusSeconds(60), at);
    }

    /** As job-worker's outbox relay writes it: a new ce_id, keyed and subject by the job id. */
    private void publish(JobStatusChanged change) {
        jobWorker.send(record(UUID.randomUUID().toString(), change));
    }

    private ProducerRecord<String, String> record(String ceId, JobStatusChanged change) {
        try {
            return CloudEventWriter.record(change.topic(), ceId, change.eventType(), "job-worker", change.subject(),
                    json.writeValueAsString(change));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> jobStatuses(LiveClient client, UUID job) {
        return client.ofType("JOB_STATUS").stream()
                .filter(m -> job.toString().equals(m.path("data").path("jobId").asText())).toList();
    }

    private static JsonNode awaitJob(LiveClient client, UUID job, String status) {
        try {
            return await().atMost(RELAY_ARRIVAL).until(() -> jobStatuses(client, job).stream()
                    .filter(m -> status.equals(m.path("data").path("status").asText())).findFirst().orElse(null),
                    java.util.Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no JOB_STATUS " + status + " of job " + job + " within " + RELAY_ARRIVAL
                    + "; received: " + client.socket().messages, e);
        }
    }

    /** JOB_STATUS messages of the job in any project's log. */
    private long stored(UUID job) {
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT count(*) FROM project_message WHERE type = 'JOB_STATUS' AND frame LIKE ?")) {
            count.setString(1, "%\"jobId\":\"" + job + "\"%");
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private double skipped(String reason) {
        return metrics.get("atelier.workspace.jobs.skipped").tag("reason", reason).counter().count();
    }

    private LiveClient connect(Person person, UUID project, String query) {
        LiveClient client = LiveClient.connect(URI.create(base.toString().replaceAll("/$", "")), project, person.token(),
                query);
        clients.add(client);
        return client;
    }

    private LiveClient joined(Person person, UUID project) {
        LiveClient client = connect(person, project, "");
        client.await("SNAPSHOT");
        return client;
    }
}
