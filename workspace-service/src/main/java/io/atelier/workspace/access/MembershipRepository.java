package io.atelier.workspace.access;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Memberships inside write transactions; callers hold the project's row lock ({@link ProjectAccess#lockForChange}). */
@ApplicationScoped
public class MembershipRepository implements PanacheRepositoryBase<Membership, Membership.Key> {

    public Optional<Membership> find(UUID projectId, UUID userId) {
        return findByIdOptional(new Membership.Key(projectId, userId));
    }

    public List<UUID> userIds(UUID projectId) {
        return getEntityManager().createQuery("select m.userId from Membership m where m.projectId = ?1", UUID.class)
                .setParameter(1, projectId).getResultList();
    }

    public long owners(UUID projectId) {
        return count("projectId = ?1 and role = ?2", projectId, Role.OWNER);
    }

    public long deleteAll(UUID projectId) {
        return delete("projectId", projectId);
    }
}
