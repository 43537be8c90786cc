package io.atelier.platform.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Rate limits shared by every replica of a service, for code on worker or virtual threads (it blocks
 * for one Redis round trip, at most {@code atelier.ratelimit.timeout}); on the event loop use
 * {@link ReactiveRateLimiter}. Fails open: see {@link ReactiveRateLimiter}.
 *
 * <p>Reserve before expensive work, give back what turned out fine:
 * <pre>
 * Decision attempt = limiter.acquire(LOGIN_FAILURES, account);
 * if (!attempt.allowed()) throw new RateLimitExceeded("Too many failed sign-ins; try again later.", attempt);
 * if (passwordMatches(...)) limiter.refund(LOGIN_FAILURES, account);   // only failures keep their cell
 * </pre>
 * Concurrent attempts can then never get past the limit, since each takes its cell before it starts.
 */
@ApplicationScoped
public class RateLimiter {

    private final ReactiveRateLimiter limiter;

    RateLimiter(ReactiveRateLimiter limiter) {
        this.limiter = limiter;
    }

    /** Takes one cell for {@code subject} when one is available; {@link Decision#allowed()} says whether. */
    public Decision acquire(RateLimit limit, String subject) {
        return limiter.acquire(limit, subject).await().indefinitely(); // bounded by the limiter's own timeout
    }

    /** Takes {@code cost} cells (1 to the limit's burst) at once, or none. */
    public Decision acquire(RateLimit limit, String subject, long cost) {
        return limiter.acquire(limit, subject, cost).await().indefinitely();
    }

    /** Whether one cell would be granted now, taking nothing (e.g. "is this account locked?"). */
    public Decision peek(RateLimit limit, String subject) {
        return limiter.peek(limit, subject).await().indefinitely();
    }

    /** Gives back one cell taken by {@link #acquire}; never below nothing owed. */
    public void refund(RateLimit limit, String subject) {
        limiter.refund(limit, subject).await().indefinitely();
    }

    /** Gives back {@code cost} cells. */
    public void refund(RateLimit limit, String subject, long cost) {
        limiter.refund(limit, subject, cost).await().indefinitely();
    }

    /** Forgets everything {@code subject} owes under {@code limit}: its full burst is available again. */
    public void reset(RateLimit limit, String subject) {
        limiter.reset(limit, subject).await().indefinitely();
    }
}
