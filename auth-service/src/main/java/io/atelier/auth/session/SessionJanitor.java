package io.atelier.auth.session;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.atelier.auth.config.AuthConfig;
import io.quarkus.scheduler.Scheduled;

/** Forgets sealed successors once the grace window is over, and expired refresh tokens. */
@ApplicationScoped
class SessionJanitor {

    private final RefreshTokenRepository tokens;
    private final AuthConfig config;
    private final Clock clock;

    SessionJanitor(RefreshTokenRepository tokens, AuthConfig config, Clock clock) {
        this.tokens = tokens;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "1m", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void clean() {
        Instant now = clock.instant();
        tokens.forgetOld(now.minus(config.tokens().refreshGraceWindow()), now);
    }
}
