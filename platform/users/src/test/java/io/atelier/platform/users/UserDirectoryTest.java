package io.atelier.platform.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Reads on the real PostgreSQL; rows are written straight into the table, as the consumer would. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "platform-users-fixture"))
class UserDirectoryTest {

    @Inject
    UserDirectory users;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void findAllReturnsTheKnownUsersAmongAThousandIds() {
        List<ReplicatedUser> known = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            UUID id = UUID.randomUUID();
            known.add(new ReplicatedUser(id, "user-" + id + "@example.com", "User " + i, now().minusSeconds(i)));
        }
        insert(known);
        List<UUID> ids = new ArrayList<>(known.stream().map(ReplicatedUser::id).toList());
        Stream.generate(UUID::randomUUID).limit(UserDirectory.MAX_IDS - known.size()).forEach(ids::add);

        Map<UUID, ReplicatedUser> found = users.findAll(ids);

        assertThat(found).hasSize(known.size());
        assertThat(found.values()).containsExactlyInAnyOrderElementsOf(known);
        assertThat(found).containsEntry(known.get(7).id(), known.get(7));
    }

    @Test
    void findAllTakesTheSameIdTwiceAndNoIdsAtAll() {
        ReplicatedUser user = new ReplicatedUser(UUID.randomUUID(), "twice-" + UUID.randomUUID() + "@example.com", "Twice", now());
        insert(List.of(user));

        assertThat(users.findAll(List.of(user.id(), user.id()))).containsExactly(Map.entry(user.id(), user));
        assertThat(users.findAll(List.of())).isEmpty();
    }

    @Test
    void findAllRefusesMoreThanAThousandIds() {
        List<UUID> ids = Stream.generate(UUID::randomUUID).limit(UserDirectory.MAX_IDS + 1).toList();

        assertThatThrownBy(() -> users.findAll(ids)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
    }

    @Test
    void unknownUserIsNotFound() {
        assertThat(users.find(UUID.randomUUID())).isEmpty();
        assertThat(users.findByEmail("nobody-" + UUID.randomUUID() + "@example.com")).isEmpty();
    }

    @Test
    void anEmailOnTwoRowsFindsTheNewerState() {
        String email = "moved-" + UUID.randomUUID() + "@example.com";
        ReplicatedUser before = new ReplicatedUser(UUID.randomUUID(), email, "Had it", now().minusSeconds(60));
        ReplicatedUser after = new ReplicatedUser(UUID.randomUUID(), email, "Has it", now());
        insert(List.of(after, before));

        assertThat(users.findByEmail(email)).contains(after);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private void insert(List<ReplicatedUser> rows) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO atelier_user (id, email, display_name, updated_at) VALUES (?, ?, ?, ?)")) {
            for (ReplicatedUser row : rows) {
                insert.setObject(1, row.id());
                insert.setString(2, row.email());
                insert.setString(3, row.displayName());
                insert.setObject(4, OffsetDateTime.ofInstant(row.updatedAt(), ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
