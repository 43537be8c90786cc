package io.atelier.workspace.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.users.UserDirectory;
import io.atelier.workspace.access.ProjectAccess;
import io.atelier.workspace.access.Role;
import io.atelier.workspace.support.KnownUsers;
import io.atelier.workspace.support.Person;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The project lists and memberships kept in Redis: they really serve (a row changed behind the cache's
 * back stays invisible), and every kind of change drops what it affects before its answer, for every
 * member it affects.
 */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
class CacheTest {

    TokenForge tokens;

    @Inject
    UserDirectory directory;

    @Inject
    AgroalDataSource database;

    @Inject
    RedisDataSource redis;

    @Inject
    WorkspaceCache cache;

    @Inject
    ProjectAccess access;

    @Inject
    MeterRegistry metrics;

    private static KnownUsers users;

    @BeforeEach
    void knownUsers() {
        if (users == null) {
            users = new KnownUsers(tokens, directory);
        }
    }

    @AfterAll
    static void close() {
        if (users != null) {
            users.close();
            users = null;
        }
    }

    @Test
    void theListIsServedFromRedisUntilAChangeDropsIt() {
        Person ada = Person.newPerson(tokens);
        UUID project = ada.projectId("Original");
        assertThat(names(ada)).containsExactly("Original");
        assertThat(redis.key().exists(WorkspaceCache.PROJECTS + ada.id())).isTrue();
        double hits = requests("projects", "hit");

        sql("UPDATE project SET name = 'Changed behind the cache' WHERE id = ?", project);
        assertThat(names(ada)).as("served from the cache").containsExactly("Original");
        assertThat(requests("projects", "hit")).isGreaterThan(hits);

        UUID another = ada.projectId("Another"); // a change to Ada's list drops her cached pages
        assertThat(names(ada)).containsExactly("Another", "Changed behind the cache");
        assertThat(another).isNotNull();
    }

    @Test
    void eachPageAndLimitIsKeptApart() {
        Person ada = Person.newPerson(tokens);
        for (int i = 0; i < 3; i++) {
            ada.projectId("p" + i);
        }
        String cursor = ada.request().queryParam("limit", "2").get("/api/v1/projects").then().statusCode(200)
                .body("items.name", equalTo(List.of("p2", "p1"))).extract().jsonPath().getString("nextCursor");
        ada.request().queryParam("limit", "2").queryParam("cursor", cursor).get("/api/v1/projects").then()
                .body("items.name", equalTo(List.of("p0"))).body("nextCursor", equalTo(null));
        ada.request().get("/api/v1/projects").then().body("items.name", equalTo(List.of("p2", "p1", "p0")));
        ada.request().queryParam("limit", "2").get("/api/v1/projects").then().body("items.name", equalTo(List.of("p2", "p1")));
        assertThat(redis.hash(String.class).hlen(WorkspaceCache.PROJECTS + ada.id())).isEqualTo(3);
    }

    @Test
    void aRenameShowsAtOnceInEveryMembersList() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Old name");
        ada.invite(project, bob, "VIEWER");
        assertThat(names(ada)).containsExactly("Old name");
        assertThat(names(bob)).containsExactly("Old name");

        ada.request().body(Map.of("name", "New name")).put("/api/v1/projects/" + project).then().statusCode(200);
        assertThat(names(ada)).containsExactly("New name");
        assertThat(names(bob)).containsExactly("New name");
    }

    @Test
    void aDeletedProjectLeavesEveryMembersListAndMembership() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Doomed");
        ada.invite(project, bob, "COLLABORATOR");
        assertThat(names(bob)).containsExactly("Doomed");
        assertThat(access.roleOf(project, bob.id())).contains(Role.COLLABORATOR);

        ada.request().delete("/api/v1/projects/" + project).then().statusCode(204);
        assertThat(names(ada)).isEmpty();
        assertThat(names(bob)).isEmpty();
        assertThat(access.roleOf(project, bob.id())).isEmpty();
    }

    @Test
    void anAddedMemberSeesTheProjectAtOnce() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Welcome");
        assertThat(names(bob)).isEmpty();
        assertThat(access.roleOf(project, bob.id())).isEmpty();

        ada.invite(project, bob, "VIEWER");
        assertThat(names(bob)).containsExactly("Welcome");
        assertThat(access.roleOf(project, bob.id())).contains(Role.VIEWER);
        bob.request().get(Person.collaborators(project)).then().statusCode(200);
    }

    @Test
    void aRemovedMemberNoLongerSeesItAtOnce() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Farewell");
        ada.invite(project, bob, "VIEWER");
        assertThat(names(bob)).containsExactly("Farewell");
        bob.request().get(Person.collaborators(project)).then().statusCode(200);

        ada.request().delete(Person.collaborators(project) + "/" + bob.id()).then().statusCode(204);
        assertThat(names(bob)).isEmpty();
        bob.request().get(Person.collaborators(project)).then().statusCode(404);
        assertThat(access.roleOf(project, bob.id())).isEmpty();
    }

    @Test
    void aMemberWhoLeftNoLongerSeesItAtOnce() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Left");
        ada.invite(project, bob, "COLLABORATOR");
        assertThat(names(bob)).containsExactly("Left");
        bob.request().delete(Person.collaborators(project) + "/" + bob.id()).then().statusCode(204);
        assertThat(names(bob)).isEmpty();
        bob.request().get(Person.collaborators(project)).then().statusCode(404);
    }

    @Test
    void aRoleChangeShowsTheNewRoleAtOnce() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        UUID project = ada.projectId("Promotion");
        ada.invite(project, bob, "VIEWER");
        assertThat(roles(bob)).containsExactly("VIEWER");
        assertThat(access.roleOf(project, bob.id())).contains(Role.VIEWER);

        ada.request().body(Map.of("role", "OWNER")).patch(Person.collaborators(project) + "/" + bob.id())
                .then().statusCode(200);
        assertThat(roles(bob)).containsExactly("OWNER");
        assertThat(access.roleOf(project, bob.id())).contains(Role.OWNER);
        bob.request().body(Map.of("name", "Bob may now")).put("/api/v1/projects/" + project).then().statusCode(200);
    }

    @Test
    void membershipIsServedFromRedisUntilAChangeDropsIt() {
        Person ada = users.create("Ada");
        Person bob = users.create("Bob");
        Person cy = users.create("Cy");
        UUID project = ada.projectId("Members");
        ada.invite(project, bob, "VIEWER");
        assertThat(access.roleOf(project, bob.id())).contains(Role.VIEWER);
        assertThat(redis.hash(String.class).hget(WorkspaceCache.MEMBERS + project, bob.id().toString())).isEqualTo("VIEWER");

        sql("UPDATE member SET role = 'COLLABORATOR' WHERE project_id = ?::uuid AND user_id = '" + bob.id() + "'", project);
        assertThat(access.roleOf(project, bob.id())).as("served from the cache").contains(Role.VIEWER);

        ada.invite(project, cy, "VIEWER"); // any change to the project's members drops its membership
        assertThat(access.roleOf(project, bob.id())).contains(Role.COLLABORATOR);
        assertThat(access.roleOf(project, cy.id())).contains(Role.VIEWER);
        assertThat(access.roleOf(project, UUID.randomUUID())).isEmpty();
    }

    @Test
    void aReaderThatRacedAWriterDoesNotStoreWhatItReadBeforeTheCommit() {
        UUID user = UUID.randomUUID();
        byte[] stale = cache.projectPage(user, "race", () -> {
            // A writer commits and invalidates while this reader is between its query and its store.
            QuarkusTransaction.requiringNew().run(() -> cache.invalidateAfterCommit(List.of(user), null));
            return bytes("stale");
        }).await().indefinitely();
        assertThat(stale).isEqualTo(bytes("stale")); // answered, but not kept
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.projectPage(user, "race", () -> {
            loads.incrementAndGet();
            return bytes("fresh");
        }).await().indefinitely()).isEqualTo(bytes("fresh"));
        assertThat(cache.projectPage(user, "race", () -> {
            loads.incrementAndGet();
            return bytes("again");
        }).await().indefinitely()).as("kept when nothing raced").isEqualTo(bytes("fresh"));
        assertThat(loads).hasValue(1);
    }

    @Test
    void aCacheEntryExpiresWithItsTtl() {
        Person ada = Person.newPerson(tokens);
        ada.projectId("Expiring");
        names(ada);
        long ttl = redis.key().pttl(WorkspaceCache.PROJECTS + ada.id());
        assertThat(ttl).isPositive().isLessThanOrEqualTo(java.time.Duration.ofMinutes(10).toMillis());
    }

    private static List<String> names(Person person) {
        return person.request().get("/api/v1/projects").then().statusCode(200).extract().jsonPath()
                .getList("items.name", String.class);
    }

    private static List<String> roles(Person person) {
        return person.request().get("/api/v1/projects").then().statusCode(200).extract().jsonPath()
                .getList("items.role", String.class);
    }

    private double requests(String cacheName, String outcome) {
        return metrics.counter("atelier.workspace.cache.requests", "cache", cacheName, "outcome", outcome).count();
    }

    private void sql(String statement, UUID project) {
        try (Connection connection = database.getConnection();
                PreparedStatement update = connection.prepareStatement(statement)) {
            update.setObject(1, project);
            assertThat(update.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
