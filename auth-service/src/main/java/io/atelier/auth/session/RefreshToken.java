package io.atelier.auth.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "refresh_token")
public class RefreshToken {

    @Id
    public UUID id;

    @Column(name = "family_id")
    public UUID familyId;

    /** SHA-256 of the token; the token itself is never stored. */
    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** When this token was used and replaced; a second use after the grace window is reuse. */
    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "successor_id")
    public UUID successorId;

    /** The successor token, encrypted, kept only for the grace window (parallel refreshes). */
    @Column(name = "successor_sealed")
    public byte[] successorSealed;
}
