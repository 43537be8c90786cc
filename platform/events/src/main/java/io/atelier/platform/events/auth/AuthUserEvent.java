package io.atelier.platform.events.auth;

import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.Topics;

/** Everything auth-service publishes: one topic, keyed by the user, so one user's events stay in order. */
public sealed interface AuthUserEvent extends DomainEvent permits UserCreated, UserUpdated, SessionRevoked {

    @Override
    default String topic() {
        return Topics.AUTH_USER_EVENTS;
    }
}
