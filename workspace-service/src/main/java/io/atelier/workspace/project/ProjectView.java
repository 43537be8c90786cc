package io.atelier.workspace.project;

import java.time.Instant;
import java.util.UUID;

import io.atelier.workspace.access.Role;

/** A project as the API shows it to one member: with that member's role and when they joined. */
public record ProjectView(UUID id, String name, String description, Role role, Instant joinedAt, Instant createdAt,
        Instant updatedAt) {
}
