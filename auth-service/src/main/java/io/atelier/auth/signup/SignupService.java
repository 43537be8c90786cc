package io.atelier.auth.signup;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import io.atelier.auth.config.AuthConfig;
import io.atelier.auth.password.PasswordHasher;
import io.atelier.auth.session.SessionService;
import io.atelier.auth.session.TokenResponse;
import io.atelier.auth.user.UserProblems;
import io.atelier.auth.user.UserRepository;
import io.atelier.auth.user.UserView;
import io.atelier.platform.ratelimit.Decision;
import io.atelier.platform.ratelimit.RateLimit;
import io.atelier.platform.ratelimit.RateLimitExceeded;
import io.atelier.platform.ratelimit.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** New password accounts. The hash (tens of milliseconds) is made before the transaction opens. */
@ApplicationScoped
public class SignupService {

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final SessionService sessions;
    private final RateLimiter limiter;
    private final RateLimit perIp;
    private final MeterRegistry metrics;

    SignupService(UserRepository users, PasswordHasher passwords, SessionService sessions, RateLimiter limiter,
            AuthConfig config, MeterRegistry metrics) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.limiter = limiter;
        this.perIp = RateLimit.of("signup-ip", config.limits().signupsPerIp(), config.limits().signupWindow());
        this.metrics = metrics;
    }

    public TokenResponse signup(SignupRequest request, String clientIp) {
        Decision allowed = limiter.acquire(perIp, clientIp);
        if (!allowed.allowed()) {
            throw new RateLimitExceeded("Too many sign-ups from this address; try again later.", allowed);
        }
        String hash = passwords.hash(request.password());
        try {
            TokenResponse tokens = QuarkusTransaction.requiringNew().call(() -> {
                if (users.findByEmail(request.email()).isPresent()) {
                    throw new UserProblems.EmailTaken();
                }
                return sessions.open(UserView.of(users.create(request.email(), request.displayName(), hash, null)));
            });
            metrics.counter("atelier.auth.signups").increment();
            return tokens;
        } catch (ConstraintViolationException e) {
            throw new UserProblems.EmailTaken(); // a concurrent sign-up with the same email won the race
        }
    }
}
