package io.atelier.auth.login;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.auth.password.PasswordHasher;
import io.atelier.auth.session.SessionService;
import io.atelier.auth.session.TokenResponse;
import io.atelier.auth.user.User;
import io.atelier.auth.user.UserRepository;
import io.atelier.auth.user.UserView;
import io.atelier.platform.ratelimit.RateLimitExceeded;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Password sign-in: throttle, verify (outside any transaction), upgrade an old hash, open a session. */
@ApplicationScoped
public class LoginService {

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final LoginThrottle throttle;
    private final SessionService sessions;
    private final MeterRegistry metrics;
    private final Clock clock;

    LoginService(UserRepository users, PasswordHasher passwords, LoginThrottle throttle, SessionService sessions,
            MeterRegistry metrics, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.sessions = sessions;
        this.metrics = metrics;
        this.clock = clock;
    }

    public TokenResponse login(LoginRequest request, String clientIp) {
        // Throttled first: a refused attempt costs neither a query nor a hash. An unknown email is
        // verified against the decoy: the same cost, the same answer.
        Checked checked = throttled(request.email(), clientIp, () -> {
            Optional<User> found = users.findByEmail(request.email());
            return new Checked(found, passwords.verify(request.password(), found.map(u -> u.passwordHash).orElse(null)));
        });
        PasswordHasher.Verification check = checked.verification();
        if (!check.verified()) {
            metrics.counter("atelier.auth.logins", "outcome", "failed").increment();
            throw new InvalidCredentials();
        }
        User user = checked.user().orElseThrow();
        TokenResponse tokens = QuarkusTransaction.requiringNew().call(() -> {
            if (check.needsUpgrade()) {
                users.update("passwordHash = ?1, updatedAt = ?2 where id = ?3", check.upgradedHash(), clock.instant(),
                        user.id);
            }
            return sessions.open(UserView.of(user));
        });
        metrics.counter("atelier.auth.logins", "outcome", "ok").increment();
        return tokens;
    }

    private record Checked(Optional<User> user, PasswordHasher.Verification verification) {
    }

    private Checked throttled(String email, String clientIp, Supplier<Checked> check) {
        try {
            return throttle.check(email, clientIp, check, c -> c.verification().verified());
        } catch (RateLimitExceeded e) {
            metrics.counter("atelier.auth.logins", "outcome", "throttled").increment();
            throw e;
        }
    }
}
