package io.atelier.workspace.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.atelier.platform.outbox.AfterCommit;
import io.atelier.platform.web.LogThrottle;
import io.atelier.workspace.config.WorkspaceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;

/**
 * What workspace-service keeps in Redis (docs/workspace.md, "Cache"): each user's project-list pages as
 * their ready JSON, and each project's membership ({@code userId -> role}). PostgreSQL stays the truth:
 * every entry is a copy with a TTL, dropped after each commit that changes what it shows, before the
 * writer answers; {@link CacheScripts} keeps readers that raced a writer from storing what they read
 * before its commit.
 *
 * <p>Redis being away never fails a request: reads answer from PostgreSQL (counted in
 * {@code atelier.workspace.cache.unavailable}, logged once per interval); for {@code retry-interval}
 * after a failure reads do not even ask Redis, so a dead or frozen server costs at most one timeout per
 * interval. An invalidation Redis did not take is kept and retried every interval; until it is applied,
 * this instance reads the entries it concerns from PostgreSQL.
 */
@ApplicationScoped
public class WorkspaceCache {

    static final String PREFIX = "workspace:";
    static final String PROJECTS = PREFIX + "projects:";
    static final String PROJECTS_GENERATION = PREFIX + "projects-gen:";
    static final String MEMBERS = PREFIX + "members:";
    static final String MEMBERS_GENERATION = PREFIX + "members-gen:";
    /** The field of a membership hash that says "this project's members are all here". */
    static final String COMPLETE = "*";
    /** Keys per invalidation script call (pairs of two), so a project with many members is not one huge call. */
    private static final int PAIRS_PER_CALL = 256;

    private final ReactiveRedisDataSource redis;
    private final TransactionSynchronizationRegistry transactions;
    private final WorkspaceConfig.Cache config;
    private final MeterRegistry metrics;
    private final LogThrottle warnings;
    private final Counter projectHits;
    private final Counter projectMisses;
    private final Counter memberHits;
    private final Counter memberMisses;
    /** Generation key -> hash key of invalidations Redis has not taken yet. */
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    /** System.nanoTime() until which reads skip Redis after a failure. */
    private volatile long skipUntil = System.nanoTime();
    private volatile boolean failing;

    WorkspaceCache(ReactiveRedisDataSource redis, TransactionSynchronizationRegistry transactions,
            WorkspaceConfig config, MeterRegistry metrics, Clock clock) {
        this.redis = redis;
        this.transactions = transactions;
        this.config = config.cache();
        this.metrics = metrics;
        this.warnings = new LogThrottle(clock, this.config.warnInterval());
        this.projectHits = requests("projects", "hit");
        this.projectMisses = requests("projects", "miss");
        this.memberHits = requests("members", "hit");
        this.memberMisses = requests("members", "miss");
    }

    /**
     * One page of a user's project list as its JSON answer: from Redis when kept, else {@code load}ed (from
     * PostgreSQL, on a worker thread) and kept, unless a change to the user's list committed meanwhile. A
     * cached answer never leaves the event loop it was asked on: no thread hop, nothing blocks.
     *
     * @param page what tells this page from the user's others (its limit and cursor)
     */
    public Uni<byte[]> projectPage(UUID userId, String page, Supplier<byte[]> load) {
        String hash = PROJECTS + userId;
        String generation = PROJECTS_GENERATION + userId;
        return lookup(hash, generation, page, page).onItem().transformToUni(found -> {
            if (found == null) {
                return blocking(load);
            }
            if (found.cached()) {
                projectHits.increment();
                return Uni.createFrom().item(found.value().toBuffer().getBytes());
            }
            projectMisses.increment();
            return blocking(load).call(json -> store(hash, generation, found.generation(), config.maxPagesPerUser(),
                    List.of(page, new String(json, StandardCharsets.UTF_8))));
        });
    }

    /**
     * A member's role in a project ({@code OWNER}, ...), empty for a non-member, from the project's cached
     * membership; on a miss {@code loadAll} reads every member's role (from PostgreSQL) and it is kept.
     */
    public Optional<String> memberRole(UUID projectId, UUID userId, Supplier<Map<UUID, String>> loadAll) {
        String hash = MEMBERS + projectId;
        String generation = MEMBERS_GENERATION + projectId;
        Lookup found = lookup(hash, generation, COMPLETE, userId.toString()).await().indefinitely();
        if (found == null) {
            return Optional.ofNullable(loadAll.get().get(userId));
        }
        if (found.cached()) {
            memberHits.increment();
            return Optional.ofNullable(found.value()).map(Response::toString);
        }
        memberMisses.increment();
        Map<UUID, String> members = loadAll.get();
        List<String> fields = new ArrayList<>(2 + members.size() * 2);
        fields.add(COMPLETE);
        fields.add("1");
        members.forEach((id, role) -> {
            fields.add(id.toString());
            fields.add(role);
        });
        store(hash, generation, found.generation(), 0, fields).await().indefinitely();
        return Optional.ofNullable(members.get(userId));
    }

    /**
     * Once the current transaction has committed (and before the request answers), drops the project lists
     * of {@code users} and, when {@code projectId} is not null, that project's membership.
     */
    public void invalidateAfterCommit(Collection<UUID> users, UUID projectId) {
        Map<String, String> pairs = new LinkedHashMap<>();
        users.forEach(user -> pairs.put(PROJECTS_GENERATION + user, PROJECTS + user));
        if (projectId != null) {
            pairs.put(MEMBERS_GENERATION + projectId, MEMBERS + projectId);
        }
        AfterCommit.run(transactions, () -> invalidate(pairs));
    }

    /** Applies invalidations Redis did not take when they happened. */
    @Scheduled(every = "${atelier.workspace.cache.retry-interval:1s}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void retryPending() {
        if (!pending.isEmpty()) {
            invalidate(Map.copyOf(pending));
        }
    }

    /** Whether invalidations are waiting for Redis (for tests and the log). */
    public int pendingInvalidations() {
        return pending.size();
    }

    private void invalidate(Map<String, String> pairs) {
        List<String> keys = new ArrayList<>(PAIRS_PER_CALL * 2);
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            keys.add(pair.getKey());
            keys.add(pair.getValue());
            if (keys.size() == PAIRS_PER_CALL * 2) {
                invalidateNow(keys);
                keys = new ArrayList<>(PAIRS_PER_CALL * 2);
            }
        }
        if (!keys.isEmpty()) {
            invalidateNow(keys);
        }
    }

    /** Always tries Redis (bounded by the timeout), also while reads skip it: a stale entry must not outlive a change. */
    private void invalidateNow(List<String> keys) {
        List<String> arguments = new ArrayList<>(keys.size() + 3);
        arguments.add(Integer.toString(keys.size()));
        arguments.addAll(keys);
        arguments.add(newGeneration());
        arguments.add(Long.toString(config.ttl().toMillis()));
        try {
            run(CacheScripts.INVALIDATE, arguments).await().indefinitely(); // bounded by the timeout
            for (int i = 0; i < keys.size(); i += 2) {
                pending.remove(keys.get(i), keys.get(i + 1));
            }
            recovered();
        } catch (RuntimeException e) {
            for (int i = 0; i < keys.size(); i += 2) {
                if (pending.size() >= config.maxPendingInvalidations() && !pending.containsKey(keys.get(i))) {
                    Log.errorf("cache: %d invalidations already wait for Redis; dropping one for %s (its entries"
                            + " expire within %s)", pending.size(), keys.get(i + 1), config.ttl());
                    continue;
                }
                pending.put(keys.get(i), keys.get(i + 1));
            }
            failed("invalidate", e);
        }
    }

    /**
     * What Redis holds for a read: a null item when it could not be asked (answer from PostgreSQL). Never
     * fails. A hit is one plain {@code HMGET}; only a miss runs the script that notes the generation the
     * reader saw (a hit needs nothing else, and Lua costs Redis several times the CPU of the read itself).
     */
    private Uni<Lookup> lookup(String hash, String generation, String presence, String field) {
        if (System.nanoTime() - skipUntil < 0 || pending.containsKey(generation)) {
            unavailable("read");
            return Uni.createFrom().nullItem();
        }
        return redis.execute(Command.HMGET, hash, presence, field)
                .ifNoItem().after(config.timeout()).fail()
                .flatMap(found -> found.get(0) != null
                        ? Uni.createFrom().item(new Lookup(true, found.get(1), null))
                        : run(CacheScripts.READ, List.of("2", hash, generation, newGeneration(),
                                Long.toString(config.ttl().toMillis()), presence, field))
                                .map(reply -> reply.get(0).toInteger() == 1 ? new Lookup(true, reply.get(1), null)
                                        : new Lookup(false, null, reply.get(1).toString())))
                .invoke(this::recovered)
                .onFailure().recoverWithItem(e -> {
                    failed("read", e);
                    return null;
                });
    }

    /** Never fails: an answer that could not be kept is still the right answer. */
    private Uni<Void> store(String hash, String generation, String seen, int maxFields, List<String> fields) {
        List<String> arguments = new ArrayList<>(fields.size() + 6);
        arguments.addAll(List.of("2", hash, generation, seen, Long.toString(config.ttl().toMillis()),
                Integer.toString(maxFields)));
        arguments.addAll(fields);
        return run(CacheScripts.STORE, arguments).replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    failed("store", e);
                    return null;
                });
    }

    /** A script call, failed when Redis does not answer within the timeout. */
    private Uni<Response> run(CacheScripts.Script script, List<String> arguments) {
        String[] withSha = prepend(script.sha1(), arguments);
        return redis.execute(Command.EVALSHA, withSha)
                // A restarted or flushed Redis has forgotten the script: send it whole once, which caches it again.
                .onFailure(WorkspaceCache::scriptNotLoaded)
                .recoverWithUni(() -> redis.execute(Command.EVAL, prepend(script.source(), arguments)))
                .ifNoItem().after(config.timeout()).fail();
    }

    /** PostgreSQL work, on a worker thread. */
    private static Uni<byte[]> blocking(Supplier<byte[]> load) {
        return Uni.createFrom().item(load).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void failed(String operation, Throwable e) {
        skipUntil = System.nanoTime() + config.retryInterval().toNanos();
        failing = true;
        unavailable(operation);
        if (warnings.due()) {
            Log.warnf("cache unavailable (Redis: %s, on %s): answering from PostgreSQL; %d invalidation(s) wait"
                    + " for Redis; next warning in %s at the earliest", describe(e), operation, pending.size(),
                    config.warnInterval());
        }
    }

    private void recovered() {
        if (failing && pending.isEmpty()) {
            failing = false;
            Log.info("cache available again (Redis answers)");
        }
    }

    private void unavailable(String operation) {
        metrics.counter("atelier.workspace.cache.unavailable", "operation", operation).increment();
    }

    private Counter requests(String cache, String outcome) {
        return metrics.counter("atelier.workspace.cache.requests", "cache", cache, "outcome", outcome);
    }

    /**
     * A fresh generation token: 128 random bits. They need to be unique, not unpredictable, so they come from
     * the thread's own generator rather than SecureRandom (every miss passes one).
     */
    private static String newGeneration() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof io.smallrye.mutiny.CompositeException c ? c.getCause() : failure;
        return cause instanceof TimeoutException ? "no answer within the timeout"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static boolean scriptNotLoaded(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static String[] prepend(String first, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }

    /** @param value the cached value (null: cached as absent); @param generation when not cached, the one seen */
    private record Lookup(boolean cached, Response value, String generation) {
    }
}
