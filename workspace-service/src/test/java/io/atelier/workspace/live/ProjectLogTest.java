package io.atelier.workspace.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.RealServers;
import io.atelier.platform.users.UserDirectory;
import io.atelier.workspace.access.Action;
import io.atelier.workspace.access.Role;
import io.atelier.workspace.support.KnownUsers;
import io.atelier.workspace.support.Person;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The project log's role-checked append against the real PostgreSQL: one statement decides and stores. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "workspace-service"))
@WithTestResource(TestTokenKeys.class)
class ProjectLogTest {

    TokenForge tokens;

    @Inject
    UserDirectory directory;

    @Inject
    ProjectLog log;

    @Inject
    Frames frames;

    private KnownUsers known;

    @BeforeEach
    void users() {
        known = new KnownUsers(tokens, directory);
    }

    @AfterEach
    void close() {
        known.close();
    }

    @Test
    void appendsAFileChangeTheSendersRoleAllowsAndMarksTheFile() throws Exception {
        Person ada = known.create("Ada");
        Person cole = known.create("Cole");
        UUID project = ada.projectId("Checked appends");
        ada.invite(project, cole, "COLLABORATOR");
        long head = log.head(project).orElseThrow();

        ProjectLog.Checked appended = change(project, cole, "src/Main.java");

        assertThat(appended.message()).isNotNull();
        assertThat(appended.message().seq()).isEqualTo(head + 1);
        assertThat(appended.role()).isEqualTo(Role.COLLABORATOR);
        assertThat(appended.projectGone()).isFalse();
        assertThat(log.readAfter(project, head, 10)).extracting(LiveMessage::seq).containsExactly(head + 1);
        assertThat(log.recentFiles(project)).extracting(ProjectLog.RecentFile::path).containsExactly("src/Main.java");
    }

    @Test
    void refusesAViewerAndStoresNothing() throws Exception {
        Person ada = known.create("Ada");
        Person vic = known.create("Vic");
        UUID project = ada.projectId("Viewers change nothing");
        ada.invite(project, vic, "VIEWER");
        long head = log.head(project).orElseThrow();

        ProjectLog.Checked refused = change(project, vic, "README.md");

        assertThat(refused.message()).isNull();
        assertThat(refused.role()).isEqualTo(Role.VIEWER);
        assertThat(refused.projectGone()).isFalse();
        assertThat(log.head(project)).hasValue(head);
        assertThat(log.recentFiles(project)).isEmpty();
    }

    @Test
    void refusesSomeoneWhoIsNoMember() throws Exception {
        Person ada = known.create("Ada");
        Person eve = known.create("Eve");
        UUID project = ada.projectId("Members only");
        long head = log.head(project).orElseThrow();

        ProjectLog.Checked refused = change(project, eve, "README.md");

        assertThat(refused.message()).isNull();
        assertThat(refused.role()).isNull();
        assertThat(log.head(project)).hasValue(head);
        assertThat(change(UUID.randomUUID(), eve, "README.md").message()).as("a project that does not exist").isNull();
    }

    private ProjectLog.Checked change(UUID project, Person who, String path) throws Exception {
        ObjectNode data = frames.object();
        data.put("path", path);
        data.put("change", "x");
        return log.appendIfAllowed(project, MessageType.FILE_CHANGE, who.id(), data, path, Action.FILE_CHANGE);
    }
}
