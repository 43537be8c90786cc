package io.atelier.platform.users;

import static io.atelier.platform.users.AuthTopic.cloudEvent;
import static io.atelier.platform.users.AuthTopic.header;
import static io.atelier.platform.users.AuthTopic.plainRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.events.auth.SessionRevoked;
import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.events.auth.UserUpdated;
import io.atelier.platform.events.auth.UserEventFeed;
import io.atelier.platform.testing.RealServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The replica fed through the real broker: records written to {@code auth.user-events} as auth-service
 * writes them (and as a broken producer might), applied by the library's consumer. Every test uses users
 * of its own; a user's records share a key, so they reach the consumer in the order they were sent.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "platform-users-fixture"))
class UserReplicaTest {

    /** The consumer gets its partitions a few seconds after the app starts, and may have a backlog first. */
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @Inject
    UserDirectory users;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Inject
    AgroalDataSource dataSource;

    AuthTopic topic;

    @BeforeEach
    void openTopic() {
        topic = new AuthTopic(json);
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    @Test
    void createdUserAppears() {
        UUID id = UUID.randomUUID();
        Instant createdAt = now();

        topic.publish(new UserCreated(id, "ada-" + id + "@example.com", "Ada", createdAt));

        await().atMost(DELIVERY).until(() -> users.find(id).isPresent());
        assertThat(users.find(id)).contains(new ReplicatedUser(id, "ada-" + id + "@example.com", "Ada", createdAt));
    }

    @Test
    void updateRenames() {
        UUID id = UUID.randomUUID();
        Instant createdAt = now();
        String email = "grace-" + id + "@example.com";

        topic.publish(new UserCreated(id, email, "Grace", createdAt));
        topic.publish(new UserUpdated(id, email, "Grace Hopper", createdAt.plusSeconds(1)));

        await().atMost(DELIVERY).until(() -> nameOf(id).equals("Grace Hopper"));
        assertThat(users.find(id).orElseThrow().updatedAt()).isEqualTo(createdAt.plusSeconds(1));
    }

    @Test
    void olderEventArrivingAfterANewerOneDoesNotWin() {
        UUID id = UUID.randomUUID();
        Instant t0 = now();
        String email = "edsger-" + id + "@example.com";

        topic.publish(new UserCreated(id, email, "v0", t0));
        topic.publish(new UserUpdated(id, email, "v2", t0.plusSeconds(2)));
        String olderUpdate = topic.publish(new UserUpdated(id, email, "v1", t0.plusSeconds(1)));
        // The same creation again under a new id, as a replay after the dedupe window would bring it.
        String replayedCreation = topic.publish(new UserCreated(id, email, "v0", t0));

        await().atMost(DELIVERY).until(() -> consumed(olderUpdate) && consumed(replayedCreation));
        assertThat(users.find(id)).contains(new ReplicatedUser(id, email, "v2", t0.plusSeconds(2)));
    }

    @Test
    void redeliveredEventIsAppliedOnce() {
        UUID id = UUID.randomUUID();
        Instant t0 = now();
        String email = "barbara-" + id + "@example.com";
        String first = topic.publish(new UserCreated(id, email, "first", t0));
        await().atMost(DELIVERY).until(() -> users.find(id).isPresent());

        // Delivered again with a newer time: only the dedupe by ce_id keeps it from winning over 'second'.
        topic.publish(first, new UserUpdated(id, email, "first, delivered again", t0.plusSeconds(3)));
        String second = topic.publish(new UserUpdated(id, email, "second", t0.plusSeconds(2)));

        await().atMost(DELIVERY).until(() -> consumed(second));
        assertThat(nameOf(id)).isEqualTo("second");
        assertThat(count("SELECT count(*) FROM atelier_consumed_event WHERE consumer = ? AND event_id = ?",
                UserReplicaConsumer.CONSUMER, first)).isEqualTo(1);
    }

    @Test
    void otherEventTypesAreAcknowledgedAndIgnored() {
        UUID id = UUID.randomUUID();
        String key = id.toString();
        Instant t0 = now();
        String email = "alan-" + id + "@example.com";
        topic.publish(new UserCreated(id, email, "Alan", t0));

        String revoked = topic.publish(new SessionRevoked(id, UUID.randomUUID(), "logout", t0.plusSeconds(1)));
        // A type the replica does not apply, with a payload that would win if it did.
        String lookalike = UUID.randomUUID().toString();
        topic.send(cloudEvent(lookalike, SessionRevoked.TYPE, key,
                topic.payload(new UserUpdated(id, email, "not applied", t0.plusSeconds(9)))));
        String marker = topic.publish(new UserUpdated(id, email, "Alan Turing", t0.plusSeconds(2)));

        await().atMost(DELIVERY).until(() -> consumed(marker));
        assertThat(nameOf(id)).isEqualTo("Alan Turing");
        assertThat(consumed(revoked) || consumed(lookalike)).as("handled as a user event").isFalse();
    }

    @Test
    void unusableRecordsAreCountedAndSkippedAndTheNextEventOfTheUserStillApplies() {
        UUID id = UUID.randomUUID();
        String key = id.toString();
        Instant t0 = now();
        String email = "katherine-" + id + "@example.com";
        topic.publish(new UserCreated(id, email, "Katherine", t0));
        await().atMost(DELIVERY).until(() -> users.find(id).isPresent());
        double notCloudEvents = rejected(UserEventFeed.Rejection.NOT_A_CLOUD_EVENT);
        double unreadable = rejected(UserEventFeed.Rejection.UNREADABLE);

        topic.send(cloudEvent(UUID.randomUUID().toString(), UserUpdated.TYPE, key, "{\"id\": \"" + key + "\", \"email"));
        topic.send(cloudEvent(UUID.randomUUID().toString(), UserUpdated.TYPE, key,
                "{\"id\": \"" + key + "\", \"email\": \"" + email + "\", \"updatedAt\": \"" + t0.plusSeconds(1) + "\"}"));
        topic.send(cloudEvent(UUID.randomUUID().toString(), UserUpdated.TYPE, key, null));
        topic.send(plainRecord(key, "{\"hello\": \"not a CloudEvent\"}"));
        // Headers the connector's own CloudEvents reader would throw on, failing the whole channel.
        ProducerRecord<String, String> badTime = cloudEvent(UUID.randomUUID().toString(), UserUpdated.TYPE, key,
                topic.payload(new UserUpdated(id, email, "bad time", t0.plusSeconds(1))));
        header(badTime.headers(), "ce_time", "yesterday");
        topic.send(badTime);
        ProducerRecord<String, String> structured = cloudEvent(UUID.randomUUID().toString(), UserUpdated.TYPE, key, "{}");
        header(structured.headers(), "content-type",
                "application/cloudevents+json");
        topic.send(structured);
        topic.publish(new UserUpdated(id, email, "Katherine Johnson", t0.plusSeconds(2)));

        await().atMost(DELIVERY).until(() -> nameOf(id).equals("Katherine Johnson"));
        // At least: a record left behind by an earlier, interrupted run may be counted too.
        assertThat(rejected(UserEventFeed.Rejection.UNREADABLE)).isGreaterThanOrEqualTo(unreadable + 3);
        assertThat(rejected(UserEventFeed.Rejection.NOT_A_CLOUD_EVENT)).isGreaterThanOrEqualTo(notCloudEvents + 3);
    }

    @Test
    void emailIsStoredAndLookedUpTrimmedAndLowerCased() {
        UUID id = UUID.randomUUID();
        topic.publish(new UserCreated(id, "  Ada.Lovelace+" + id + "@Example.COM ", "Ada", now()));

        await().atMost(DELIVERY).until(() -> users.find(id).isPresent());
        String stored = "ada.lovelace+" + id + "@example.com";
        assertThat(users.find(id).orElseThrow().email()).isEqualTo(stored);
        assertThat(users.findByEmail(" ADA.lovelace+" + id.toString().toUpperCase() + "@EXAMPLE.com\t"))
                .map(ReplicatedUser::id).contains(id);
        assertThat(users.findByEmail("lovelace+" + id + "@example.com")).isEmpty();
        assertThat(users.findByEmail("   ")).isEmpty();
    }

    @Test
    void eventTheDatabaseRefusesForNowIsHeldAndStoredOnceItAccepts() {
        UUID id = UUID.randomUUID();
        double retriesBefore = metrics.counter("atelier.users.replica.retries").count();
        execute("REVOKE INSERT, UPDATE ON atelier_user FROM CURRENT_USER");
        try {
            topic.publish(new UserCreated(id, "hedy-" + id + "@example.com", "Hedy", now()));

            await().atMost(DELIVERY).until(() -> metrics.counter("atelier.users.replica.retries").count() > retriesBefore);
            assertThat(users.find(id)).isEmpty();
        } finally {
            execute("GRANT INSERT, UPDATE ON atelier_user TO CURRENT_USER");
        }

        // Held, not skipped: a skipped event would never appear.
        await().atMost(DELIVERY).until(() -> users.find(id).isPresent());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private String nameOf(UUID id) {
        return users.find(id).map(ReplicatedUser::displayName).orElse("");
    }

    private double rejected(UserEventFeed.Rejection reason) {
        return metrics.counter("atelier.users.replica.rejected", "reason", reason.tag()).count();
    }

    private boolean consumed(String eventId) {
        return count("SELECT count(*) FROM atelier_consumed_event WHERE consumer = ? AND event_id = ?",
                UserReplicaConsumer.CONSUMER, eventId) > 0;
    }

    private long count(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                select.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
