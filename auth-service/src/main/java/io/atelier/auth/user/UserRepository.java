package io.atelier.auth.user;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.outbox.Outbox;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    private final Outbox outbox;
    private final Clock clock;

    UserRepository(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public Optional<User> findByEmail(String normalizedEmail) {
        return find("email", normalizedEmail).firstResultOptional();
    }

    public Optional<User> findByGoogleSubject(String subject) {
        return find("googleSubject", subject).firstResultOptional();
    }

    /** The user's row, locked until the transaction ends: changes to one account serialise on it. */
    public Optional<User> lock(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The one way an account comes to exist (sign-up and Google alike): stored, flushed (so a taken
     * email fails here, as a constraint violation) and announced with {@code auth.user.created}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public User create(String email, String displayName, String passwordHash, String googleSubject) {
        User user = new User();
        user.id = UUID.randomUUID();
        user.email = email;
        user.displayName = displayName;
        user.passwordHash = passwordHash;
        user.googleSubject = googleSubject;
        user.emailVerified = googleSubject != null;
        user.createdAt = clock.instant();
        user.updatedAt = user.createdAt;
        persistAndFlush(user);
        outbox.publish(new UserCreated(user.id, user.email, user.displayName, user.createdAt));
        return user;
    }
}
