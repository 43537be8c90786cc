package io.atelier.auth.user;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

@Entity
@Table(name = "app_user")
public class User {

    @Id
    public UUID id;

    /** Trimmed and lower-cased; unique. */
    public String email;

    @Column(name = "display_name")
    public String displayName;

    /** PHC string (Argon2id); null for accounts that only sign in with Google. */
    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "google_subject")
    public String googleSubject;

    @Column(name = "email_verified")
    public boolean emailVerified;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
