package io.atelier.auth.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One sign-in: every refresh token rotated from it belongs to this family. Its id is the {@code sid} claim. */
@Entity
@Table(name = "token_family")
public class TokenFamily {

    @Id
    public UUID id;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoke_reason")
    public String revokeReason;

    boolean isRevoked() {
        return revokedAt != null;
    }
}
