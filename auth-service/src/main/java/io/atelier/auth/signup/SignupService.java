package io.atelier.auth.signup;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import io.atelier.auth.config.AuthConfig;
import io.atelier.auth.password.PasswordHasher;
import io.atelier.auth.ratelimit.RateLimiter;
import io.atelier.auth.session.SessionService;
import io.atelier.auth.session.TokenResponse;
import io.atelier.auth.user.UserProblems;
import io.atelier.auth.user.UserRepository;
import io.atelier.auth.user.UserView;
import io.atelier.platform.web.TooManyRequests;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** New password accounts. The hash (tens of milliseconds) is made before the transaction opens. */
@ApplicationScoped
public class SignupService {

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final SessionService sessions;
    private final RateLimiter limiter;
    private final AuthConfig.Limits limits;
    private final MeterRegistry metrics;

    SignupService(UserRepository users, PasswordHasher passwords, SessionService sessions, RateLimiter limiter,
            AuthConfig config, MeterRegistry metrics) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.limiter = limiter;
        this.limits = config.limits();
        this.metrics = metrics;
    }

    public TokenResponse signup(SignupRequest request, String clientIp) {
        limiter.hitAndCheck("signup:ip:" + clientIp, limits.signupsPerIp(), limits.signupWindow()).ifPresent(wait -> {
            throw new TooManyRequests("Too many sign-ups from this address; try again later.", wait);
        });
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
