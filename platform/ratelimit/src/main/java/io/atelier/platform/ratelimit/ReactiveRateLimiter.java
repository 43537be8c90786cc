package io.atelier.platform.ratelimit;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.atelier.platform.ratelimit.GcraScript.Mode;
import io.atelier.platform.web.LogThrottle;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;

/**
 * Rate limits shared by every replica of a service, for code on the event loop; {@link RateLimiter} is
 * the same for worker and virtual threads. Each call is one atomic Redis script ({@link GcraScript}) on
 * the key {@code <quarkus.application.name>:limit:<limit name>:<subject>}.
 *
 * <p>Fails open: when Redis cannot be reached, errors, or does not answer within
 * {@code atelier.ratelimit.timeout}, the request is allowed ({@link Decision#failedOpen()}), counted in
 * {@code atelier.ratelimit.unavailable{limit}} and logged at most once per {@code atelier.ratelimit.warn-interval}.
 * A short spell without limits is better than refusing every sign-in or upload because Redis is away.
 */
@ApplicationScoped
public class ReactiveRateLimiter {

    /** Subjects longer than this are hashed in the key, so callers cannot make Redis keys of any size. */
    static final int MAX_SUBJECT_IN_KEY = 128;

    private final ReactiveRedisDataSource redis;
    private final MeterRegistry metrics;
    private final RateLimitConfig config;
    private final Clock clock;
    private final String keyPrefix;
    private final LogThrottle warnings;
    private final LogThrottle recoveries;
    /** Requests let through unchecked since Redis last answered (0 while it answers). */
    private final AtomicLong unchecked = new AtomicLong();

    ReactiveRateLimiter(ReactiveRedisDataSource redis, MeterRegistry metrics, RateLimitConfig config,
            Clock clock, @ConfigProperty(name = "quarkus.application.name") String application) {
        this.redis = redis;
        this.metrics = metrics;
        this.config = config;
        // The application's Clock (platform/web's system clock unless the service or a test has its own).
        this.clock = clock;
        this.keyPrefix = application + ":limit:";
        // At most one WARN and one INFO line per interval, also when Redis flaps between answering and not.
        this.warnings = new LogThrottle(clock, config.warnInterval());
        this.recoveries = new LogThrottle(clock, config.warnInterval());
    }

    /** Takes one cell for {@code subject} when one is available. */
    public Uni<Decision> acquire(RateLimit limit, String subject) {
        return acquire(limit, subject, 1);
    }

    /** Takes {@code cost} cells (1 to the limit's burst) at once, or none. */
    public Uni<Decision> acquire(RateLimit limit, String subject, long cost) {
        checkCost(limit, cost);
        return run(limit, subject, cost, Mode.ACQUIRE).invoke(decision -> {
            if (!decision.failedOpen()) {
                metrics.counter("atelier.ratelimit.decisions", "limit", limit.name(), "outcome",
                        decision.allowed() ? "allowed" : "denied").increment();
            }
        });
    }

    /** Whether one cell would be granted now, taking nothing (e.g. "is this account locked?"). */
    public Uni<Decision> peek(RateLimit limit, String subject) {
        return run(limit, subject, 1, Mode.PEEK);
    }

    /** Gives back one cell taken by {@link #acquire}, e.g. when the attempt it reserved turned out fine. */
    public Uni<Void> refund(RateLimit limit, String subject) {
        return refund(limit, subject, 1);
    }

    /** Gives back {@code cost} cells; the subject never ends up with more than its burst. */
    public Uni<Void> refund(RateLimit limit, String subject, long cost) {
        checkCost(limit, cost);
        return run(limit, subject, cost, Mode.REFUND).replaceWithVoid();
    }

    /** Forgets everything {@code subject} owes under {@code limit}: its full burst is available again. */
    public Uni<Void> reset(RateLimit limit, String subject) {
        return redis.execute(Command.DEL, key(limit, subject))
                .invoke(this::answered)
                .replaceWithVoid()
                .ifNoItem().after(config.timeout()).fail()
                .onFailure().recoverWithItem(failure -> {
                    unavailable(limit, "reset", failure);
                    return null;
                });
    }

    private Uni<Decision> run(RateLimit limit, String subject, long cost, Mode mode) {
        String key = key(limit, subject);
        return Uni.createFrom().deferred(() -> evaluate(key, limit, cost, mode))
                .map(GcraScript::decision)
                .invoke(this::answered)
                .ifNoItem().after(config.timeout()).fail()
                .onFailure().recoverWithItem(failure -> {
                    unavailable(limit, mode.name().toLowerCase(Locale.ROOT), failure);
                    return Decision.failedOpen(limit);
                });
    }

    /** Runs the script, reading now at subscription (a resubscribed Uni asks about its own moment). */
    private Uni<Response> evaluate(String key, RateLimit limit, long cost, Mode mode) {
        String[] arguments = GcraScript.arguments(key, limit, clock.millis(), cost, mode);
        return redis.execute(Command.EVALSHA, prepend(GcraScript.SHA1, arguments))
                // A restarted or flushed Redis has forgotten the script: send it whole once, which caches it again.
                .onFailure(ReactiveRateLimiter::scriptNotLoaded)
                .recoverWithUni(() -> redis.execute(Command.EVAL, prepend(GcraScript.SOURCE, arguments)));
    }

    String key(RateLimit limit, String subject) {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("rate limit '" + limit.name() + "' needs a subject");
        }
        // The name cannot contain ':', so the first ':' after the prefix ends it, whatever the subject holds.
        return keyPrefix + limit.name() + ":"
                + (subject.length() > MAX_SUBJECT_IN_KEY ? "#" + Subjects.hashed(subject) : subject);
    }

    private void answered(Object ignored) {
        long missed = unchecked.get() == 0 ? 0 : unchecked.getAndSet(0);
        if (missed > 0 && recoveries.due()) {
            Log.infof("rate limits are enforced again (Redis answers); %d request(s) went through unchecked", missed);
        }
    }

    private void unavailable(RateLimit limit, String operation, Throwable failure) {
        long missed = unchecked.incrementAndGet();
        metrics.counter("atelier.ratelimit.unavailable", "limit", limit.name()).increment();
        if (warnings.due()) {
            Log.warnf("rate limits unavailable (Redis: %s, on %s of '%s'): allowing requests unchecked, %d so far;"
                    + " next warning in %s at the earliest", describe(failure), operation, limit.name(), missed,
                    config.warnInterval());
        }
    }

    private static String describe(Throwable failure) {
        return failure instanceof TimeoutException ? "no answer within the timeout"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static boolean scriptNotLoaded(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static void checkCost(RateLimit limit, long cost) {
        if (cost < 1 || cost > limit.burst()) {
            // More than the burst could never be granted: a caller bug, not a request to deny.
            throw new IllegalArgumentException("cost must be between 1 and the burst (" + limit.burst()
                    + ") of rate limit '" + limit.name() + "', not " + cost);
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
