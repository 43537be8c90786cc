package io.atelier.workspace.live;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.platform.feeds.LuaScript;
import io.atelier.workspace.config.LiveConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Who is connected to which project, on every instance, in Redis: one sorted set per project
 * ({@code workspace:presence:<projectId>}) of connections {@code <userId>|<connectionId>|<connectedAt>},
 * scored by when their instance last vouched for them. Each instance renews its own connections every
 * heartbeat; a connection not renewed within the expiry (its instance died) is swept by whichever instance
 * comes first, so no ghost outlives expiry + heartbeat. A user is online while any of their connections is.
 * Blocking (Redis calls): worker or virtual threads.
 */
@ApplicationScoped
class Presence {

    /** One connection as presence knows it. */
    record Entry(UUID projectId, UUID userId, String connectionId, Instant connectedAt) {
        String member() {
            return userId + "|" + connectionId + "|" + connectedAt.toEpochMilli();
        }
    }

    /** A user online in a project: since their oldest connection opened, last vouched for at their newest. */
    record Online(UUID userId, Instant connectedAt, Instant lastSeenAt) {
    }

    static final String PROJECTS = "workspace:presence:projects";

    // KEYS: presence set, projects set. ARGV: member, now, "<userId>|", live-after. Returns the user's live connections.
    private static final LuaScript JOIN = LuaScript.of("""
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            redis.call('SADD', KEYS[2], string.sub(KEYS[1], 20))
            local n = 0
            for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[4], '+inf')) do
              if string.sub(m, 1, #ARGV[3]) == ARGV[3] then n = n + 1 end
            end
            return n
            """);

    // KEYS: presence set, projects set. ARGV: member, "<userId>|", live-after. Returns the user's live connections left.
    private static final LuaScript LEAVE = LuaScript.of("""
            redis.call('ZREM', KEYS[1], ARGV[1])
            local n = 0
            for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], '+inf')) do
              if string.sub(m, 1, #ARGV[2]) == ARGV[2] then n = n + 1 end
            end
            if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], string.sub(KEYS[1], 20)) end
            return n
            """);

    // KEYS: presence set, projects set. ARGV: live-after. Removes expired connections; returns the users
    // left with none (each once, to the one caller that removed their last).
    private static final LuaScript SWEEP = LuaScript.of("""
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
            if #expired == 0 then return {} end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
            local live = {}
            for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              live[string.sub(m, 1, 36)] = true
            end
            local gone, seen = {}, {}
            for _, m in ipairs(expired) do
              local user = string.sub(m, 1, 36)
              if not live[user] and not seen[user] then
                seen[user] = true
                gone[#gone + 1] = user
              end
            end
            if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], string.sub(KEYS[1], 20)) end
            return gone
            """);

    private final RedisDataSource redis;
    private final Clock clock;
    private final LiveConfig.Presence config;

    Presence(RedisDataSource redis, Clock clock, LiveConfig config) {
        this.redis = redis;
        this.clock = clock;
        this.config = config.presence();
    }

    /** @return true when this is the user's only live connection to the project: they just came online */
    boolean join(Entry connection) {
        long live = JOIN.run(redis, List.of(key(connection.projectId()), PROJECTS),
                List.of(connection.member(), Long.toString(clock.millis()), connection.userId() + "|",
                        Long.toString(liveAfter()))).toLong();
        return live == 1;
    }

    /** @return true when the user has no live connection to the project left: they went offline */
    boolean leave(Entry connection) {
        long live = LEAVE.run(redis, List.of(key(connection.projectId()), PROJECTS),
                List.of(connection.member(), connection.userId() + "|", Long.toString(liveAfter()))).toLong();
        return live == 0;
    }

    /** Vouches for this instance's connections, one call per project. */
    void renew(UUID projectId, List<Entry> connections) {
        if (connections.isEmpty()) {
            return;
        }
        String now = Long.toString(clock.millis());
        List<String> args = new ArrayList<>(1 + connections.size() * 2);
        args.add(key(projectId));
        for (Entry connection : connections) {
            args.add(now);
            args.add(connection.member());
        }
        redis.execute("ZADD", args.toArray(String[]::new));
        redis.execute("SADD", PROJECTS, projectId.toString());
    }

    /** Removes connections not vouched for within the expiry, in every project: users left with none, per project. */
    Map<UUID, List<UUID>> sweep() {
        Map<UUID, List<UUID>> gone = new LinkedHashMap<>();
        Response projects = redis.execute("SMEMBERS", PROJECTS);
        for (Response project : projects) {
            UUID projectId = UUID.fromString(project.toString());
            Response users = SWEEP.run(redis, List.of(key(projectId), PROJECTS), List.of(Long.toString(liveAfter())));
            List<UUID> left = new ArrayList<>();
            for (Response user : users) {
                left.add(UUID.fromString(user.toString()));
            }
            if (!left.isEmpty()) {
                gone.put(projectId, left);
            }
        }
        return gone;
    }

    /** Who is online in the project now, in the order they came. */
    List<Online> online(UUID projectId) {
        Response members = redis.execute("ZRANGEBYSCORE", key(projectId), Long.toString(liveAfter()), "+inf",
                "WITHSCORES");
        Map<UUID, Online> byUser = new LinkedHashMap<>();
        // RESP3 answers WITHSCORES as [member, score] pairs; RESP2 as one flat list
        boolean pairs = members.size() > 0 && members.get(0).type() == ResponseType.MULTI;
        int step = pairs ? 1 : 2;
        for (int i = 0; i + step - 1 < members.size(); i += step) {
            String member = pairs ? members.get(i).get(0).toString() : members.get(i).toString();
            String score = pairs ? members.get(i).get(1).toString() : members.get(i + 1).toString();
            String[] parts = member.split("\\|");
            UUID user = UUID.fromString(parts[0]);
            Instant connectedAt = Instant.ofEpochMilli(Long.parseLong(parts[2]));
            Instant seen = Instant.ofEpochMilli((long) Double.parseDouble(score));
            byUser.merge(user, new Online(user, connectedAt, seen), (a, b) -> new Online(user,
                    a.connectedAt().isBefore(b.connectedAt()) ? a.connectedAt() : b.connectedAt(),
                    a.lastSeenAt().isAfter(b.lastSeenAt()) ? a.lastSeenAt() : b.lastSeenAt()));
        }
        List<Online> online = new ArrayList<>(byUser.values());
        online.sort(java.util.Comparator.comparing(Online::connectedAt));
        return online;
    }

    private long liveAfter() {
        return clock.millis() - config.expiry().toMillis();
    }

    static String key(UUID projectId) {
        return "workspace:presence:" + projectId; // 20 characters before the id: the scripts rely on it
    }
}
