package io.atelier.platform.events.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.atelier.platform.events.auth.UserEventReader.UnreadableEvent;

class UserEventReaderTest {

    private static final UUID ID = UUID.fromString("7d1e6a62-54a8-4a4e-9a53-2f3d4b0c9e11");
    private static final Instant AT = Instant.parse("2026-11-30T10:15:30.123456Z");

    // As strict as platform/web makes a service's mapper: the reader must still take unknown fields.
    private final JsonMapper json = JsonMapper.builder().findAndAddModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final UserEventReader reader = new UserEventReader(json);

    @Test
    void replicatesCreatedAndUpdatedOnly() {
        assertThat(UserEventReader.replicates(UserCreated.TYPE)).isTrue();
        assertThat(UserEventReader.replicates(UserUpdated.TYPE)).isTrue();
        assertThat(UserEventReader.replicates(SessionRevoked.TYPE)).isFalse();
        assertThat(UserEventReader.replicates("auth.user.deleted")).isFalse();
    }

    @Test
    void readsWhatAuthServicePublishes() throws Exception {
        String created = json.writeValueAsString(new UserCreated(ID, "ada@example.com", "Ada", AT));
        String updated = json.writeValueAsString(new UserUpdated(ID, "ada@example.com", "Ada L.", AT.plusSeconds(1)));

        assertThat(reader.read(UserCreated.TYPE, created)).isEqualTo(new UserState(ID, "ada@example.com", "Ada", AT, true));
        assertThat(reader.read(UserUpdated.TYPE, updated))
                .isEqualTo(new UserState(ID, "ada@example.com", "Ada L.", AT.plusSeconds(1), false));
    }

    @Test
    void ignoresFieldsAddedLater() throws Exception {
        String payload = """
                {"id":"%s","email":"ada@example.com","displayName":"Ada","updatedAt":"%s","avatarUrl":"x"}"""
                .formatted(ID, AT);

        assertThat(reader.read(UserUpdated.TYPE, payload).displayName()).isEqualTo("Ada");
    }

    @Test
    void normalisesTheEmail() throws Exception {
        String payload = json.writeValueAsString(new UserCreated(ID, "  Ada@Example.COM\t", "Ada", AT));

        assertThat(reader.read(UserCreated.TYPE, payload).email()).isEqualTo("ada@example.com");
    }

    @Test
    void refusesWhatIsNotTheEventWithoutQuotingIt() {
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, "{\"id\": \"secret-value"))
                .isInstanceOf(UnreadableEvent.class)
                .hasMessageStartingWith("payload is not a readable auth.user.updated")
                .message().doesNotContain("secret-value");
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, "[1, 2]")).isInstanceOf(UnreadableEvent.class);
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, "null")).hasMessage("payload is null");
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, null)).hasMessage("no payload");
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, "{\"id\": \"not-a-uuid\"}"))
                .isInstanceOf(UnreadableEvent.class).message().doesNotContain("not-a-uuid");
    }

    @Test
    void refusesAnEventMissingWhatTheReplicaStores() throws Exception {
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, updated(null, "a@example.com", "A", AT))).hasMessage("no id");
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, updated(ID, null, "A", AT))).hasMessage("no email");
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, updated(ID, "  ", "A", AT))).hasMessage("no email");
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, updated(ID, "a@example.com", null, AT)))
                .hasMessage("no displayName");
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, updated(ID, "a@example.com", "A", null)))
                .hasMessage("no time (createdAt/updatedAt)");
    }

    @Test
    void refusesTextPostgresqlCannotHoldOrThatIsAbsurdlyLong() throws Exception {
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, updated(ID, "a@example.com", "A\0B", AT)))
                .hasMessage("displayName cannot be stored");
        String longName = "n".repeat(UserEventReader.MAX_TEXT + 1);
        assertThatThrownBy(() -> reader.read(UserUpdated.TYPE, updated(ID, "a@example.com", longName, AT)))
                .hasMessage("displayName cannot be stored");
        assertThat(reader.read(UserUpdated.TYPE, updated(ID, "a@example.com", "n".repeat(UserEventReader.MAX_TEXT), AT)))
                .isNotNull();
    }

    private String updated(UUID id, String email, String displayName, Instant at) throws Exception {
        return json.writeValueAsString(new UserUpdated(id, email, displayName, at));
    }
}
