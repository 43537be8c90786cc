package io.atelier.workspace.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import io.atelier.platform.events.workspace.MemberRemoved;
import io.atelier.platform.events.workspace.ProjectDeleted;

/**
 * Removals and deletions made through the API, once committed, reach the live workspace: the removed
 * member's sockets (on every instance) close with 4403 "removed from the project", a deleted project's
 * with 4403 "project deleted".
 */
@ApplicationScoped
class MembershipEnds {

    private final LiveWorkspace live;

    MembershipEnds(LiveWorkspace live) {
        this.live = live;
    }

    void memberRemoved(@Observes(during = TransactionPhase.AFTER_SUCCESS) MemberRemoved removed) {
        live.memberRemoved(removed.projectId(), removed.removedBy(), removed.userId());
    }

    void projectDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) ProjectDeleted deleted) {
        live.projectDeleted(deleted.projectId(), deleted.deletedBy());
    }
}
