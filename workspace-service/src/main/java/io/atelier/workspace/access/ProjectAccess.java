package io.atelier.workspace.access;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.atelier.workspace.cache.WorkspaceCache;

/**
 * Who may do what in a project, asked in one place. Reads (and, later, every WebSocket message) ask the
 * cached membership: {@link #roleOf}, {@link #require}. Changes ask {@link #lockForChange} inside their
 * transaction, against PostgreSQL, holding the project's row lock, so that changes to one project's
 * members run one after the other and "at least one OWNER" cannot be broken by two at once.
 */
@ApplicationScoped
public class ProjectAccess {

    private final WorkspaceCache cache;
    private final MembershipReads reads;
    private final MembershipRepository memberships;
    private final EntityManager entities;

    ProjectAccess(WorkspaceCache cache, MembershipReads reads, MembershipRepository memberships, EntityManager entities) {
        this.cache = cache;
        this.reads = reads;
        this.memberships = memberships;
        this.entities = entities;
    }

    /** The user's role in the project, empty for a non-member or no such project (cached, see WorkspaceCache). */
    public Optional<Role> roleOf(UUID projectId, UUID userId) {
        return cache.memberRole(projectId, userId, () -> reads.roles(projectId)).map(Role::valueOf);
    }

    /** The user's role, when it allows {@code action}: else 404 for a non-member, 403 for a member. */
    public Role require(UUID projectId, UUID userId, Action action) {
        Role role = roleOf(projectId, userId).orElseThrow(AccessProblems.NoSuchProject::new);
        check(role, action);
        return role;
    }

    /**
     * Locks the project's row for the rest of the caller's transaction (every change to a project or its
     * members takes this lock first) and returns the user's membership, when its role allows {@code action}
     * ({@code null}: any member, e.g. to leave). 404 for no such project or a non-member; 403 for a role
     * that does not allow it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Membership lockForChange(UUID projectId, UUID userId, Action action) {
        boolean exists = !entities.createNativeQuery("SELECT 1 FROM project WHERE id = ?1 FOR UPDATE")
                .setParameter(1, projectId).getResultList().isEmpty();
        if (!exists) {
            throw new AccessProblems.NoSuchProject();
        }
        Membership membership = memberships.find(projectId, userId).orElseThrow(AccessProblems.NoSuchProject::new);
        if (action != null) {
            check(membership.role, action);
        }
        return membership;
    }

    private static void check(Role role, Action action) {
        if (!role.can(action)) {
            throw new AccessProblems.RoleForbids(role, action);
        }
    }
}
