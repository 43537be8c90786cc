package io.atelier.workspace.live;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.atelier.platform.security.CurrentCaller;
import io.atelier.platform.users.ReplicatedUser;
import io.atelier.platform.users.UserDirectory;
import io.atelier.platform.web.Problem;
import io.atelier.workspace.access.Action;
import io.atelier.workspace.access.ProjectAccess;
import io.quarkus.security.Authenticated;

/** {@code GET /api/v1/projects/{id}/workspace/status}: who is online now, and the files changed lately. */
@Path("/api/v1/projects/{id}/workspace/status")
@Authenticated
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class WorkspaceStatusResource {

    public record Status(List<LiveWorkspace.OnlineMember> online, List<ChangedFile> recentFiles) {
    }

    public record ChangedFile(String path, Person changedBy, Instant changedAt) {
    }

    public record Person(UUID id, String displayName) {
    }

    private final ProjectAccess access;
    private final LiveWorkspace live;
    private final ProjectLog log;
    private final UserDirectory users;
    private final CurrentCaller caller;

    WorkspaceStatusResource(ProjectAccess access, LiveWorkspace live, ProjectLog log, UserDirectory users,
            CurrentCaller caller) {
        this.access = access;
        this.live = live;
        this.log = log;
        this.users = users;
        this.caller = caller;
    }

    @GET
    public Status status(@PathParam("id") UUID projectId) throws SQLException {
        access.require(projectId, caller.get().id(), Action.READ);
        List<ProjectLog.RecentFile> files = log.recentFiles(projectId);
        Map<UUID, ReplicatedUser> names = users.findAll(files.stream().map(ProjectLog.RecentFile::changedBy).distinct().toList());
        List<ChangedFile> recent = files.stream().map(file -> new ChangedFile(file.path(),
                new Person(file.changedBy(), names.containsKey(file.changedBy()) ? names.get(file.changedBy()).displayName() : null),
                file.changedAt())).toList();
        return new Status(live.online(projectId), recent);
    }
}
