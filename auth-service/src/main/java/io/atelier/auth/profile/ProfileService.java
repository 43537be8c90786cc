package io.atelier.auth.profile;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.auth.login.LoginThrottle;
import io.atelier.auth.password.PasswordHasher;
import io.atelier.auth.session.SessionService;
import io.atelier.auth.user.User;
import io.atelier.auth.user.UserProblems;
import io.atelier.auth.user.UserRepository;
import io.atelier.auth.user.UserView;
import io.atelier.platform.events.auth.UserUpdated;
import io.atelier.platform.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** The signed-in user's own account: read it, rename it, change its password. */
@ApplicationScoped
public class ProfileService {

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final LoginThrottle throttle;
    private final SessionService sessions;
    private final Outbox outbox;
    private final Clock clock;

    ProfileService(UserRepository users, PasswordHasher passwords, LoginThrottle throttle, SessionService sessions,
            Outbox outbox, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.sessions = sessions;
        this.outbox = outbox;
        this.clock = clock;
    }

    public UserView me(UUID userId) {
        return UserView.of(users.findByIdOptional(userId).orElseThrow(UserProblems.NoSuchAccount::new));
    }

    /** Concurrent renames of one user queue on the user's row: the last one wins, each emits its event. */
    public UserView rename(UUID userId, String displayName) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = users.lock(userId).orElseThrow(UserProblems.NoSuchAccount::new);
            if (!user.displayName.equals(displayName)) {
                user.displayName = displayName;
                user.updatedAt = clock.instant();
                outbox.publish(new UserUpdated(user.id, user.email, user.displayName, user.updatedAt));
            }
            return UserView.of(user);
        });
    }

    /**
     * Changes the password and ends every other sign-in of the user ({@code currentSession} stays).
     * Wrong current passwords count as failed logins: a stolen access token must not become a way to
     * guess the password without limit.
     */
    public void changePassword(UUID userId, UUID currentSession, ProfileRequests.ChangePassword request,
            String clientIp) {
        User user = users.findByIdOptional(userId).orElseThrow(UserProblems.NoSuchAccount::new);
        boolean verified = throttle.check(user.email, clientIp,
                () -> passwords.verify(request.currentPassword(), user.passwordHash).verified(), Boolean::booleanValue);
        if (!verified) {
            throw new WrongCurrentPassword();
        }
        String hash = passwords.hash(request.newPassword());
        QuarkusTransaction.requiringNew().run(() -> {
            User current = users.lock(userId).orElseThrow(UserProblems.NoSuchAccount::new);
            current.passwordHash = hash;
            current.updatedAt = clock.instant();
            sessions.revokeAll(userId, currentSession, SessionService.REASON_PASSWORD_CHANGED);
        });
    }
}
