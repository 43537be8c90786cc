package io.atelier.auth.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import io.atelier.auth.account.AccountDtos.ChangePasswordRequest;
import io.atelier.auth.account.AccountDtos.LoginRequest;
import io.atelier.auth.account.AccountDtos.SignupRequest;
import io.atelier.auth.account.AccountDtos.TokenResponse;
import io.atelier.auth.account.AccountDtos.UserView;
import io.atelier.auth.config.AuthConfig;
import io.atelier.auth.password.PasswordHasher;
import io.atelier.auth.ratelimit.RateLimiter;
import io.atelier.auth.ratelimit.TooManyRequests;
import io.atelier.auth.session.SessionService;
import io.atelier.auth.session.SessionService.TokenPair;
import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.events.auth.UserUpdated;
import io.atelier.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Sign-up, login and profile rules. Password hashing (tens of milliseconds) runs outside any
 * transaction so it never holds a database connection.
 */
@ApplicationScoped
public class AccountService {

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final SessionService sessions;
    private final RateLimiter limits;
    private final Outbox outbox;
    private final AuthConfig config;
    private final MeterRegistry metrics;

    AccountService(UserRepository users, PasswordHasher passwords, SessionService sessions, RateLimiter limits,
            Outbox outbox, AuthConfig config, MeterRegistry metrics) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.limits = limits;
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
    }

    public TokenResponse signup(SignupRequest request, String clientIp) {
        var signupLimit = config.limits();
        limits.hitAndCheck("signup:ip:" + clientIp, signupLimit.signupsPerIp(), signupLimit.signupWindow())
                .ifPresent(wait -> {
                    throw new TooManyRequests("Too many sign-ups from this address; try again later.", wait);
                });
        String hash = passwords.hash(request.password());
        try {
            TokenPair pair = QuarkusTransaction.requiringNew().call(() -> {
                if (users.findByEmail(request.email()).isPresent()) {
                    throw new AccountProblems.EmailTaken();
                }
                Instant now = Instant.now();
                User user = new User();
                user.id = UUID.randomUUID();
                user.email = request.email();
                user.displayName = request.displayName();
                user.passwordHash = hash;
                user.createdAt = now;
                user.updatedAt = now;
                users.persistAndFlush(user);
                outbox.publish(new UserCreated(user.id, user.email, user.displayName, user.createdAt));
                return sessions.open(user);
            });
            metrics.counter("atelier.auth.signups").increment();
            return tokenResponseFor(pair);
        } catch (ConstraintViolationException e) {
            throw new AccountProblems.EmailTaken(); // a concurrent sign-up with the same email won the race
        }
    }

    public TokenResponse login(LoginRequest request, String clientIp) {
        var limit = config.limits();
        String accountKey = "login-fail:account:" + digest(request.email());
        String ipKey = "login-fail:ip:" + clientIp;
        long accountFailures = limits.count(accountKey);
        Optional<Duration> blocked = limits.blockedFor(accountKey, accountFailures, limit.loginFailuresPerAccount())
                .or(() -> limits.blockedFor(ipKey, limit.loginFailuresPerIp()));
        if (blocked.isPresent()) {
            metrics.counter("atelier.auth.logins", "outcome", "throttled").increment();
            throw new TooManyRequests("Too many failed sign-ins; try again later.", blocked.get());
        }
        Optional<User> found = users.findByEmail(request.email());
        // An unknown email is verified against the decoy: the same cost, the same answer.
        PasswordHasher.Verification check = passwords.verify(request.password(),
                found.map(u -> u.passwordHash).orElse(null));
        if (!check.verified()) {
            limits.hit(accountKey, limit.loginWindow());
            limits.hit(ipKey, limit.loginWindow());
            metrics.counter("atelier.auth.logins", "outcome", "failed").increment();
            throw new AccountProblems.InvalidCredentials();
        }
        if (accountFailures > 0) {
            limits.reset(accountKey);
        }
        User user = found.get(); // loaded above; the session needs only its id and email
        TokenPair pair = QuarkusTransaction.requiringNew().call(() -> {
            if (check.needsUpgrade()) {
                users.update("passwordHash = ?1, updatedAt = ?2 where id = ?3", check.upgradedHash(), Instant.now(), user.id);
            }
            return sessions.open(user);
        });
        metrics.counter("atelier.auth.logins", "outcome", "ok").increment();
        return tokenResponseFor(pair);
    }

    /**
     * Signs in a Google identity whose email Google has verified: the account linked to that Google
     * subject, else the account with that email (now linked), else a new account.
     */
    public TokenResponse signInWithGoogle(String subject, String email, String name) {
        String normalized = AccountDtos.normalizeEmail(email);
        try {
            TokenPair pair = QuarkusTransaction.requiringNew().call(() -> {
                User user = users.findByGoogleSubject(subject)
                        .or(() -> users.findByEmail(normalized).map(existing -> linkGoogle(existing, subject)))
                        .orElseGet(() -> createFromGoogle(subject, normalized, name));
                return sessions.open(user);
            });
            metrics.counter("atelier.auth.logins", "outcome", "google").increment();
            return tokenResponseFor(pair);
        } catch (ConstraintViolationException e) {
            throw new AccountProblems.EmailTaken(); // a concurrent sign-up took this email first
        }
    }

    private static User linkGoogle(User user, String subject) {
        user.googleSubject = subject;
        user.emailVerified = true;
        user.updatedAt = Instant.now();
        return user;
    }

    private User createFromGoogle(String subject, String email, String name) {
        Instant now = Instant.now();
        User user = new User();
        user.id = UUID.randomUUID();
        user.email = email;
        user.displayName = name == null || name.isBlank() ? email.substring(0, email.indexOf('@')) : name.strip();
        user.googleSubject = subject;
        user.emailVerified = true;
        user.createdAt = now;
        user.updatedAt = now;
        users.persistAndFlush(user);
        outbox.publish(new UserCreated(user.id, user.email, user.displayName, user.createdAt));
        return user;
    }

    public UserView me(UUID userId) {
        return UserView.of(users.findByIdOptional(userId).orElseThrow(AccountProblems.NoSuchAccount::new));
    }

    public UserView updateDisplayName(UUID userId, String displayName) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = users.findByIdOptional(userId).orElseThrow(AccountProblems.NoSuchAccount::new);
            if (!user.displayName.equals(displayName)) {
                user.displayName = displayName;
                user.updatedAt = Instant.now();
                outbox.publish(new UserUpdated(user.id, user.email, user.displayName, user.updatedAt));
            }
            return UserView.of(user);
        });
    }

    /** Changes the password and ends every other sign-in of the user ({@code currentSession} stays). */
    public void changePassword(UUID userId, UUID currentSession, ChangePasswordRequest request) {
        User user = users.findByIdOptional(userId).orElseThrow(AccountProblems.NoSuchAccount::new);
        if (!passwords.verify(request.currentPassword(), user.passwordHash).verified()) {
            throw new AccountProblems.WrongCurrentPassword();
        }
        String hash = passwords.hash(request.newPassword());
        QuarkusTransaction.requiringNew().run(() -> {
            User current = users.findById(userId);
            current.passwordHash = hash;
            current.updatedAt = Instant.now();
            sessions.revokeAll(userId, currentSession, SessionService.REASON_PASSWORD_CHANGED);
        });
    }

    public TokenResponse tokenResponseFor(TokenPair pair) {
        return new TokenResponse(UserView.of(pair.user()), pair.accessToken(), pair.refreshToken(), "Bearer",
                pair.expiresIn());
    }

    /** Rate-limit keys carry no email in clear. */
    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
