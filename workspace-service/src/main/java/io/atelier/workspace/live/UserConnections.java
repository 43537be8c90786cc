package io.atelier.workspace.live;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.workspace.config.LiveConfig;

/** Open project sockets per user on this instance, capped ({@code atelier.workspace.live.connections.per-user}). */
@ApplicationScoped
class UserConnections {

    private final Map<UUID, Integer> open = new ConcurrentHashMap<>();
    private final int perUser;

    UserConnections(LiveConfig config) {
        this.perUser = config.connections().perUser();
    }

    int perUser() {
        return perUser;
    }

    /** @return false when the user holds the most sockets allowed already */
    boolean tryOpen(UUID userId) {
        boolean[] allowed = { false };
        open.compute(userId, (id, count) -> {
            int now = count == null ? 0 : count;
            allowed[0] = now < perUser;
            return allowed[0] ? now + 1 : (count == null ? null : count);
        });
        return allowed[0];
    }

    void closed(UUID userId) {
        open.computeIfPresent(userId, (id, count) -> count <= 1 ? null : count - 1);
    }
}
