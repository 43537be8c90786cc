package io.atelier.workspace.project;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.workspace.ProjectCreated;
import io.atelier.platform.events.workspace.ProjectDeleted;
import io.atelier.platform.events.workspace.ProjectUpdated;
import io.atelier.platform.outbox.Outbox;
import io.atelier.platform.web.Page;
import io.atelier.platform.web.PageCursor;
import io.atelier.workspace.access.AccessProblems;
import io.atelier.workspace.access.Action;
import io.atelier.workspace.access.Membership;
import io.atelier.workspace.access.MembershipRepository;
import io.atelier.workspace.access.ProjectAccess;
import io.atelier.workspace.access.Role;
import io.atelier.workspace.cache.WorkspaceCache;
import io.smallrye.mutiny.Uni;

/**
 * Projects: members read them, OWNERs change and delete them. Every change locks the project's row first
 * (so a project's changes and events are in order), records its event in the outbox, and drops the cached
 * lists of every member it shows up for once it has committed.
 */
@ApplicationScoped
public class ProjectService {

    private final ProjectRepository projects;
    private final MembershipRepository memberships;
    private final ProjectReads reads;
    private final ProjectAccess access;
    private final WorkspaceCache cache;
    private final ObjectMapper json;
    private final Outbox outbox;
    private final Clock clock;
    private final Event<ProjectDeleted> deletions;

    ProjectService(ProjectRepository projects, MembershipRepository memberships, ProjectReads reads,
            ProjectAccess access, WorkspaceCache cache, ObjectMapper json, Outbox outbox, Clock clock,
            Event<ProjectDeleted> deletions) {
        this.projects = projects;
        this.deletions = deletions;
        this.memberships = memberships;
        this.reads = reads;
        this.access = access;
        this.cache = cache;
        this.json = json;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The creator becomes the project's first OWNER. */
    @Transactional
    public ProjectView create(UUID creatorId, ProjectInput input) {
        Instant now = now();
        Project project = new Project();
        project.id = UUID.randomUUID();
        project.name = input.name();
        project.description = input.description();
        project.createdAt = now;
        project.updatedAt = now;
        projects.persist(project);
        Membership owner = new Membership();
        owner.projectId = project.id;
        owner.userId = creatorId;
        owner.role = Role.OWNER;
        owner.joinedAt = now;
        memberships.persist(owner);
        outbox.publish(new ProjectCreated(project.id, creatorId, project.name, now));
        cache.invalidateAfterCommit(List.of(creatorId), project.id);
        return view(project, owner);
    }

    /** 404 for a project the caller is no member of. */
    public ProjectView get(UUID callerId, UUID id) {
        return reads.find(id, callerId).orElseThrow(AccessProblems.NoSuchProject::new);
    }

    /**
     * One page of the caller's projects, most recently joined first, as its JSON answer: from the cache
     * when kept (no PostgreSQL, no serialisation), else read and kept.
     */
    public Uni<byte[]> listJson(UUID callerId, PageCursor cursor, int limit) {
        String page = limit + ":" + (cursor == null ? "-" : cursor.encode());
        return cache.projectPage(callerId, page, () -> {
            try {
                return json.writeValueAsBytes(list(callerId, cursor, limit));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a page of projects is not serialisable", e);
            }
        });
    }

    Page<ProjectView> list(UUID callerId, PageCursor cursor, int limit) {
        List<ProjectView> rows = reads.page(callerId, cursor, limit + 1);
        List<ProjectView> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? new PageCursor(page.getLast().joinedAt(), page.getLast().id()).encode() : null;
        return new Page<>(page, next);
    }

    /** OWNER only. Every member's list shows the name and description, so every member's list is dropped. */
    @Transactional
    public ProjectView update(UUID callerId, UUID id, ProjectInput input) {
        Membership caller = access.lockForChange(id, callerId, Action.UPDATE_PROJECT);
        Project project = projects.findById(id);
        project.name = input.name();
        project.description = input.description();
        project.updatedAt = now();
        outbox.publish(new ProjectUpdated(project.id, callerId, project.name, project.updatedAt));
        cache.invalidateAfterCommit(memberships.userIds(id), null);
        return view(project, caller);
    }

    /** OWNER only; its members go with it. */
    @Transactional
    public void delete(UUID callerId, UUID id) {
        access.lockForChange(id, callerId, Action.DELETE_PROJECT);
        List<UUID> members = memberships.userIds(id);
        memberships.deleteAll(id);
        projects.deleteById(id);
        ProjectDeleted deleted = new ProjectDeleted(id, callerId, now());
        outbox.publish(deleted);
        cache.invalidateAfterCommit(members, id);
        deletions.fire(deleted); // the live workspace closes the project's sockets once this commits
    }

    private static ProjectView view(Project project, Membership member) {
        return new ProjectView(project.id, project.name, project.description, member.role, member.joinedAt,
                project.createdAt, project.updatedAt);
    }

    private Instant now() {
        return PageCursor.truncate(clock.instant());
    }
}
