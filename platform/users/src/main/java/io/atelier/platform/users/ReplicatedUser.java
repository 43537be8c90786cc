package io.atelier.platform.users;

import java.time.Instant;
import java.util.UUID;

/**
 * A user as this service knows it from auth-service's events.
 *
 * @param email trimmed and lower-cased
 * @param updatedAt the time of this state at auth-service (the event's {@code createdAt}/{@code updatedAt})
 */
public record ReplicatedUser(UUID id, String email, String displayName, Instant updatedAt) {
}
