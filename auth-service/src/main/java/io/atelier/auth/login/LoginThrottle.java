package io.atelier.auth.login;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.auth.config.AuthConfig;
import io.atelier.platform.ratelimit.Decision;
import io.atelier.platform.ratelimit.RateLimit;
import io.atelier.platform.ratelimit.RateLimitExceeded;
import io.atelier.platform.ratelimit.RateLimiter;
import io.atelier.platform.ratelimit.Subjects;

/**
 * Limits password guesses. An attempt takes one cell of every limit that applies before the hash is
 * spent (atomically, in Redis), so concurrent guesses can never check more passwords than a limit
 * allows; the right password gives the cells back.
 *
 * <ul>
 * <li>account + client address: the strict limit (default 5 a minute). A guesser locks out only
 * themselves, not the owner signing in from elsewhere (what Keycloak and OWASP recommend over a plain
 * per-account lockout, which hands every attacker a way to lock the owner out).</li>
 * <li>account, from anywhere: a looser limit (default 20 in 15 minutes) against guessing spread
 * over many addresses.</li>
 * <li>client address, any account: against one address trying many accounts.</li>
 * </ul>
 * Wrong current passwords on {@code POST /me/password} go through the same limits.
 */
@ApplicationScoped
public class LoginThrottle {

    private final RateLimiter limiter;
    private final RateLimit perAccountAndIp;
    private final RateLimit perAccount;
    private final RateLimit perIp;

    LoginThrottle(RateLimiter limiter, AuthConfig config) {
        AuthConfig.Limits limits = config.limits();
        this.limiter = limiter;
        this.perAccountAndIp = RateLimit.of("login-account-ip", limits.loginFailuresPerAccountAndIp(), limits.loginWindow());
        this.perAccount = RateLimit.of("login-account", limits.loginFailuresPerAccount(), limits.accountWindow());
        this.perIp = RateLimit.of("login-ip", limits.loginFailuresPerIp(), limits.loginWindow());
    }

    /**
     * Runs a password check under the limits: refuses with 429 before it runs when a limit is
     * exhausted; keeps the reserved cells when {@code passed} says it failed, gives them back (and
     * forgives the account's failures) when it passed, and gives them back when it could not run
     * (e.g. no hashing capacity: a 503 is no failed guess).
     */
    public <T> T check(String normalizedEmail, String clientIp, Supplier<T> passwordCheck, Predicate<T> passed) {
        Attempt attempt = begin(normalizedEmail, clientIp);
        T result;
        try {
            result = passwordCheck.get();
        } catch (RuntimeException e) {
            attempt.abandoned();
            throw e;
        }
        if (passed.test(result)) {
            attempt.succeeded();
        }
        return result;
    }

    /** Takes one cell of every limit, or refuses with 429 (giving back what it took) when one is exhausted. */
    private Attempt begin(String normalizedEmail, String clientIp) {
        String account = Subjects.hashed(normalizedEmail);
        List<Cell> cells = List.of(new Cell(perAccountAndIp, account + "|" + clientIp, true),
                new Cell(perAccount, account, true), new Cell(perIp, clientIp, false));
        List<Cell> taken = new ArrayList<>(cells.size());
        for (Cell cell : cells) {
            Decision decision = limiter.acquire(cell.limit(), cell.subject());
            if (!decision.allowed()) {
                taken.forEach(t -> limiter.refund(t.limit(), t.subject()));
                throw new RateLimitExceeded("Too many failed sign-ins; try again later.", decision);
            }
            taken.add(cell);
        }
        return new Attempt(taken);
    }

    private record Cell(RateLimit limit, String subject, boolean forgivenBySuccess) {
    }

    /** One password check in flight: its cells stay taken unless it passed or never ran. */
    private final class Attempt {

        private final List<Cell> cells;

        private Attempt(List<Cell> cells) {
            this.cells = cells;
        }

        /** The right password: the account's failures are forgiven, the address's cell returned. */
        void succeeded() {
            for (Cell cell : cells) {
                if (cell.forgivenBySuccess()) {
                    limiter.reset(cell.limit(), cell.subject());
                } else {
                    limiter.refund(cell.limit(), cell.subject());
                }
            }
        }

        /** No password was checked (e.g. no hashing capacity): nothing counts. */
        void abandoned() {
            cells.forEach(cell -> limiter.refund(cell.limit(), cell.subject()));
        }
    }
}
