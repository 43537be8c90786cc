package io.atelier.auth.session;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class TokenFamilyRepository implements PanacheRepositoryBase<TokenFamily, UUID> {

    TokenFamily lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    List<TokenFamily> lockOpenOf(UUID userId) {
        return find("userId = ?1 and revokedAt is null", userId).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
