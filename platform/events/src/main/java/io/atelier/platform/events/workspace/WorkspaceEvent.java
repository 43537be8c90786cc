package io.atelier.platform.events.workspace;

import java.util.UUID;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;

/**
 * Everything workspace-service publishes on {@code workspace.events}. Every event is keyed by its
 * project, so one project's changes (its members' included) stay in order. Roles travel as their names:
 * {@code OWNER}, {@code COLLABORATOR}, {@code VIEWER}.
 */
public sealed interface WorkspaceEvent extends DomainEvent
        permits ProjectCreated, ProjectUpdated, ProjectDeleted, MemberAdded, MemberRemoved, MemberRoleChanged {

    @Override
    default String topic() {
        return Topics.WORKSPACE_EVENTS;
    }

    UUID projectId();

    @Override
    default String subject() {
        return projectId().toString();
    }
}
