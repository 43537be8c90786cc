package io.atelier.workspace.member;

import java.time.Instant;
import java.util.UUID;

import io.atelier.workspace.access.Role;

/**
 * A project's member as the API shows it to the other members. {@code displayName} and {@code email} come
 * from the users replica; they are null for the moment between a sign-up and its event reaching this service.
 */
public record MemberView(UUID userId, String displayName, String email, Role role, Instant joinedAt) {
}
