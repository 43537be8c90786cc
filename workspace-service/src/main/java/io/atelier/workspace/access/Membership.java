package io.atelier.workspace.access;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A user's place in a project. */
@Entity
@Table(name = "member")
@IdClass(Membership.Key.class)
public class Membership {

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Enumerated(EnumType.STRING)
    public Role role;

    /** Microsecond precision (PageCursor.truncate): the user's project list sorts on it. */
    @Column(name = "joined_at")
    public Instant joinedAt;

    public record Key(UUID projectId, UUID userId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
