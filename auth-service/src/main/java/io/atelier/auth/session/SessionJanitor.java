package io.atelier.auth.session;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.atelier.auth.config.AuthConfig;
import io.quarkus.scheduler.Scheduled;

/** Forgets sealed successors once the grace window is over, and expired refresh tokens. */
@ApplicationScoped
class SessionJanitor {

    private final AuthConfig config;

    SessionJanitor(AuthConfig config) {
        this.config = config;
    }

    @Scheduled(every = "1m", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void clean() {
        Instant now = Instant.now();
        RefreshToken.update("successorSealed = null where successorSealed is not null and rotatedAt < ?1",
                now.minus(config.tokens().refreshGraceWindow()));
        RefreshToken.delete("expiresAt < ?1", now);
    }
}
