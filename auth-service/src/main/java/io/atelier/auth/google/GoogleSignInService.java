package io.atelier.auth.google;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import io.atelier.auth.session.SessionService;
import io.atelier.auth.session.TokenResponse;
import io.atelier.auth.user.Emails;
import io.atelier.auth.user.User;
import io.atelier.auth.user.UserRepository;
import io.atelier.auth.user.UserView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Turns a Google identity whose email Google has verified into an Atelier sign-in. Google's {@code sub}
 * identifies the person; an email address can change hands, so:
 * <ul>
 * <li>the account linked to this {@code sub} signs in;</li>
 * <li>else an account with this email and no Google link is linked. If its email was never proven
 * (password sign-ups are not verified), whoever registered it may not own the address: its password
 * and every session are revoked first, and the Google user, who proved the address, takes it over;</li>
 * <li>an account with this email linked to another {@code sub} is refused (409), never re-linked;</li>
 * <li>else a new account is created. Two first sign-ins at once end in the same account.</li>
 * </ul>
 */
@ApplicationScoped
public class GoogleSignInService {

    private final UserRepository users;
    private final SessionService sessions;
    private final MeterRegistry metrics;
    private final Clock clock;

    GoogleSignInService(UserRepository users, SessionService sessions, MeterRegistry metrics, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.metrics = metrics;
        this.clock = clock;
    }

    public TokenResponse signIn(GoogleIdentity google) {
        if (!google.emailVerified() || google.email() == null) {
            throw new GoogleProblems.EmailNotVerified();
        }
        TokenResponse tokens;
        try {
            tokens = signInOnce(google);
        } catch (ConstraintViolationException e) {
            // A concurrent first sign-in of the same person created or linked the account: it is there now.
            tokens = signInOnce(google);
        }
        metrics.counter("atelier.auth.logins", "outcome", "google").increment();
        return tokens;
    }

    private TokenResponse signInOnce(GoogleIdentity google) {
        String email = Emails.normalize(google.email());
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = users.findByGoogleSubject(google.subject())
                    .or(() -> users.findByEmail(email).map(existing -> link(existing, google.subject())))
                    .orElseGet(() -> users.create(email, displayName(google, email), null, google.subject()));
            return sessions.open(UserView.of(user));
        });
    }

    private User link(User found, String subject) {
        User user = users.lock(found.id).orElseThrow();
        if (user.googleSubject != null && !user.googleSubject.equals(subject)) {
            throw new GoogleProblems.IdentityConflict();
        }
        if (!user.emailVerified) {
            Log.infof("user %s: email proven by Google; revoking the unproven password and sessions", user.id);
            user.passwordHash = null;
            sessions.revokeAll(user.id, null, SessionService.REASON_EMAIL_CLAIMED);
        }
        user.googleSubject = subject;
        user.emailVerified = true;
        user.updatedAt = clock.instant();
        users.flush(); // a concurrent link of the same subject fails here, inside the retry
        return user;
    }

    private static String displayName(GoogleIdentity google, String email) {
        String name = google.name() == null ? "" : google.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            return email.substring(0, email.indexOf('@'));
        }
        return name;
    }
}
