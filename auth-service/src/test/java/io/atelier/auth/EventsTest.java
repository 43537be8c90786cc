package io.atelier.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static io.atelier.platform.testing.CloudEventRecords.header;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.atelier.auth.support.Api;
import io.atelier.platform.events.Topics;
import io.atelier.platform.events.auth.SessionRevoked;
import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.events.auth.UserUpdated;
import io.atelier.platform.testing.KafkaTopicReader;
import io.atelier.platform.testing.LocalSuite;
import io.atelier.auth.support.LocalOidcProvider;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.atelier.platform.testing.MovableClock;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** What other services replicate: auth.user-events, one event per change, as CloudEvents keyed by user id. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "auth-service"))
@WithTestResource(LocalOidcProvider.class)
class EventsTest {

    final Api api = new Api();
    KafkaTopicReader topic;

    @BeforeEach
    void consume() {
        topic = new KafkaTopicReader(LocalSuite.find().kafkaBootstrap(), Topics.AUTH_USER_EVENTS);
    }

    @AfterEach
    void close() {
        topic.close();
    }

    @Test
    void eachChangeEmitsExactlyOneEventInOrder() {
        Api.Session session = api.signup();
        api.bearer(session.accessToken()).body(Map.of("displayName", "Renamed")).patch("/api/v1/auth/me")
                .then().statusCode(200);
        api.bearer(session.accessToken()).body(Map.of("displayName", "Renamed")).patch("/api/v1/auth/me")
                .then().statusCode(200); // nothing changed: no event
        api.request().body(Map.of("email", session.email(), "password", "wrong password")).post("/api/v1/auth/login")
                .then().statusCode(401); // a failed login changes nothing: no event
        api.request().body(Map.of("refreshToken", session.refreshToken())).post("/api/v1/auth/logout").then().statusCode(204);

        // One user's events share a key, so they arrive in order: once the last is here, any extra would be too.
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(session.userId()).stream()
                .anyMatch(r -> SessionRevoked.TYPE.equals(header(r, "ce_type"))));
        List<ConsumerRecord<String, String>> events = eventsOf(session.userId());
        assertThat(events).extracting(r -> header(r, "ce_type"))
                .containsExactly(UserCreated.TYPE, UserUpdated.TYPE, SessionRevoked.TYPE);
        assertThat(events).allSatisfy(r -> {
            assertThat(header(r, "ce_source")).isEqualTo("auth-service");
            assertThat(header(r, "ce_subject")).isEqualTo(session.userId());
            assertThat(r.value()).doesNotContain("password").doesNotContain("argon2");
        });
        assertThat(events.get(0).value()).contains("\"email\":\"" + session.email() + "\"");
        assertThat(events.get(1).value()).contains("\"displayName\":\"Renamed\"");
        assertThat(events.get(2).value()).contains("\"reason\":\"logout\"");
    }

    @Test
    void refreshTokenReuseRevokesTheSessionAndSaysSo() {
        Api.Session session = api.signup();
        api.request().body(Map.of("refreshToken", session.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(200);
        // Past the grace window (moved, not waited for) the rotated token is reuse: the family is revoked.
        MovableClock clock = new MovableClock();
        QuarkusMock.installMockForType(clock, Clock.class);
        clock.advance(Duration.ofSeconds(11));
        api.request().body(Map.of("refreshToken", session.refreshToken())).post("/api/v1/auth/refresh").then()
                .statusCode(401);

        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(session.userId()).stream()
                .anyMatch(r -> SessionRevoked.TYPE.equals(header(r, "ce_type"))));
        List<ConsumerRecord<String, String>> revoked = eventsOf(session.userId()).stream()
                .filter(r -> SessionRevoked.TYPE.equals(header(r, "ce_type"))).toList();
        assertThat(revoked).singleElement().satisfies(r -> assertThat(r.value()).contains("\"reason\":\"reuse-detected\""));
    }

    private List<ConsumerRecord<String, String>> eventsOf(String userId) {
        return topic.records().stream().filter(r -> userId.equals(r.key())).toList();
    }

}
