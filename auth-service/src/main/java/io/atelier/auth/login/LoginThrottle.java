package io.atelier.auth.login;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.auth.config.AuthConfig;
import io.atelier.auth.ratelimit.RateLimiter;
import io.atelier.auth.user.Emails;
import io.atelier.platform.web.TooManyRequests;

/**
 * Limits password guesses, counted before the hash is spent so that concurrent guesses can never
 * check more passwords than the limit: each attempt first reserves one failure in every limit
 * that applies, and gives the reservation back if the password was right.
 *
 * <ul>
 * <li>account + client address: the strict limit (default 5 a minute). A guesser locks out only
 * themselves, not the owner signing in from elsewhere.</li>
 * <li>account, from anywhere: a looser limit (default 20 in 15 minutes) against guessing spread
 * over many addresses.</li>
 * <li>client address, any account: against one address trying many accounts.</li>
 * </ul>
 * Wrong current passwords on {@code POST /me/password} go through the same limits.
 */
@ApplicationScoped
public class LoginThrottle {

    private final RateLimiter limiter;
    private final AuthConfig.Limits limits;

    LoginThrottle(RateLimiter limiter, AuthConfig config) {
        this.limiter = limiter;
        this.limits = config.limits();
    }

    /** Reserves one failure in every limit, or refuses with 429 when any of them is exhausted. */
    public Attempt begin(String normalizedEmail, String clientIp) {
        String account = Emails.digest(normalizedEmail);
        List<Reservation> taken = new ArrayList<>(3);
        for (Reservation r : List.of(
                new Reservation("login-fail:pair:" + account + ":" + clientIp, limits.loginFailuresPerAccountAndIp(),
                        limits.loginWindow(), true),
                new Reservation("login-fail:account:" + account, limits.loginFailuresPerAccount(),
                        limits.accountWindow(), true),
                new Reservation("login-fail:ip:" + clientIp, limits.loginFailuresPerIp(), limits.loginWindow(), false))) {
            Optional<Duration> wait = limiter.hitAndCheck(r.key(), r.limit(), r.window());
            taken.add(r);
            if (wait.isPresent()) {
                taken.forEach(t -> limiter.undo(t.key()));
                throw new TooManyRequests("Too many failed sign-ins; try again later.", wait.get());
            }
        }
        return new Attempt(taken);
    }

    private record Reservation(String key, int limit, Duration window, boolean clearedBySuccess) {
    }

    /** One password check in flight; exactly one of its methods ends it. */
    public final class Attempt {

        private final List<Reservation> reservations;

        private Attempt(List<Reservation> reservations) {
            this.reservations = reservations;
        }

        /** The password was wrong: the reservations stay, as failures. */
        public void failed() {
            // nothing to give back
        }

        /** The right password: the account's failures are forgiven, the address's reservation returned. */
        public void succeeded() {
            for (Reservation r : reservations) {
                if (r.clearedBySuccess()) {
                    limiter.reset(r.key());
                } else {
                    limiter.undo(r.key());
                }
            }
        }

        /** No password was checked (e.g. no hashing capacity): nothing counts. */
        public void abandoned() {
            reservations.forEach(r -> limiter.undo(r.key()));
        }
    }
}
