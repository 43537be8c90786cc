package io.atelier.platform.events.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's state as one of auth-service's events tells it.
 *
 * @param email trimmed and lower-cased
 * @param at the time of this state at auth-service (the event's {@code createdAt}/{@code updatedAt})
 * @param created whether this is the account's creation ({@code auth.user.created}): then {@code at} is its sign-up time
 */
public record UserState(UUID id, String email, String displayName, Instant at, boolean created) {
}
