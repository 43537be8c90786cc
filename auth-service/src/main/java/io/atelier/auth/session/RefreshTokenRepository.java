package io.atelier.auth.session;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class RefreshTokenRepository implements PanacheRepositoryBase<RefreshToken, UUID> {

    Optional<RefreshToken> lockByHash(byte[] hash) {
        return find("tokenHash", hash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Sealed successors are kept only for the grace window; expired tokens not at all. */
    void forgetOld(Instant sealedBefore, Instant now) {
        update("successorSealed = null where successorSealed is not null and rotatedAt < ?1", sealedBefore);
        delete("expiresAt < ?1", now);
    }
}
