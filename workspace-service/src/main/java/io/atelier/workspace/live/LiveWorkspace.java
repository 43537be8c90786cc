package io.atelier.workspace.live;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.platform.users.ReplicatedUser;
import io.atelier.platform.users.UserDirectory;
import io.atelier.platform.web.LogThrottle;
import io.atelier.workspace.access.Action;
import io.atelier.workspace.access.ProjectAccess;
import io.atelier.workspace.access.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * The rules of the live workspace: who may change files, when a user comes online and goes offline, and
 * what each change becomes (a durable message in the project's log, then passed to every instance).
 * Blocking (PostgreSQL, Redis): worker or virtual threads.
 */
@ApplicationScoped
class LiveWorkspace {

    /** What became of a client's FILE_CHANGE. */
    enum Outcome {
        DONE, FORBIDDEN, NOT_A_MEMBER, PROJECT_GONE, UNAVAILABLE
    }

    /** A user online, as sockets and the status endpoint show them. */
    record OnlineMember(UUID userId, String displayName, Role role, java.time.Instant connectedAt,
            java.time.Instant lastSeenAt) {
    }

    private final ProjectLog log;
    private final ProjectChannels channels;
    private final Presence presence;
    private final ProjectAccess access;
    private final UserDirectory users;
    private final Frames frames;
    private final Clock clock;
    private final LogThrottle presenceWarnings;
    private final Counter presenceUnavailable;

    LiveWorkspace(ProjectLog log, ProjectChannels channels, Presence presence, ProjectAccess access,
            UserDirectory users, Frames frames, Clock clock, MeterRegistry metrics) {
        this.log = log;
        this.channels = channels;
        this.presence = presence;
        this.access = access;
        this.users = users;
        this.frames = frames;
        this.clock = clock;
        this.presenceWarnings = new LogThrottle(clock, Duration.ofSeconds(30));
        this.presenceUnavailable = Counter.builder("atelier.workspace.live.presence.unavailable")
                .description("Presence calls Redis could not answer (this instance's own connections stand in)")
                .register(metrics);
    }

    /** A connection opened: the user comes online (USER_JOIN) unless another of their connections already is. */
    void arrive(Presence.Entry entry) {
        boolean first;
        try {
            first = presence.join(entry);
        } catch (RuntimeException e) {
            presenceFailed(e);
            first = channels.connections(entry.projectId()).stream().noneMatch(c -> c.userId().equals(entry.userId()));
        }
        if (first) {
            appendQuietly(entry.projectId(), MessageType.USER_JOIN, entry.userId(), null, null, null);
        }
    }

    /** A connection closed: the user goes offline (USER_LEAVE) when it was their last anywhere. */
    void depart(Presence.Entry entry) {
        boolean last;
        try {
            last = presence.leave(entry);
        } catch (RuntimeException e) {
            presenceFailed(e);
            last = channels.connections(entry.projectId()).stream().noneMatch(c -> c.userId().equals(entry.userId()));
        }
        if (last) {
            appendQuietly(entry.projectId(), MessageType.USER_LEAVE, entry.userId(), null, null, null);
        }
    }

    /**
     * A FILE_CHANGE from a member: checked against their role in PostgreSQL as it is appended (a role change
     * applies to the next one), so the path from a socket to the fan-out is one statement.
     */
    Outcome changeFile(ProjectConnection connection, String path, JsonNode change) {
        ObjectNode data = frames.object();
        data.put("path", path);
        data.set("change", change);
        ProjectLog.Checked appended;
        try {
            appended = log.appendIfAllowed(connection.projectId(), MessageType.FILE_CHANGE, connection.userId(), data,
                    path, Action.FILE_CHANGE);
        } catch (SQLException e) {
            Log.warnf("FILE_CHANGE in project %s not stored: %s", connection.projectId(), e.getMessage());
            return Outcome.UNAVAILABLE;
        }
        if (appended.message() != null) {
            channels.publish(appended.message());
            return Outcome.DONE;
        }
        return appended.projectGone() ? Outcome.PROJECT_GONE
                : appended.role() == null ? Outcome.NOT_A_MEMBER : Outcome.FORBIDDEN;
    }

    /** A cursor move, already throttled: to the others in the project, stored nowhere. Never blocks. */
    void moveCursor(ProjectConnection connection, long seq, JsonNode cursor) {
        String frame = frames.render(MessageType.CURSOR_UPDATE, connection.projectId(), connection.userId(), seq,
                clock.instant(), cursor);
        channels.publish(new LiveMessage(connection.projectId(), seq, MessageType.CURSOR_UPDATE, connection.userId(),
                null, connection.id(), frame));
    }

    /** A member was removed (through the API): their sockets close everywhere, the others are told. */
    void memberRemoved(UUID projectId, UUID removedBy, UUID member) {
        appendQuietly(projectId, MessageType.MEMBER_REMOVED, removedBy, member, memberData(member), null);
    }

    /** The project was deleted: every socket of it closes (also found by the next catch-up if this is lost). */
    void projectDeleted(UUID projectId, UUID deletedBy) {
        String frame = frames.render(MessageType.PROJECT_DELETED, projectId, deletedBy, 0, clock.instant(), null);
        channels.publish(new LiveMessage(projectId, 0, MessageType.PROJECT_DELETED, deletedBy, null, null, frame));
    }

    /** {@code SNAPSHOT}: who is online now, and the sequence number the connection joined at. */
    String snapshot(ProjectConnection connection, long seq, Role role) {
        ObjectNode data = frames.object();
        ArrayNode online = data.putArray("online");
        for (OnlineMember member : online(connection.projectId())) {
            online.add(onlineJson(member));
        }
        data.put("role", role.name());
        return frames.render(MessageType.SNAPSHOT, connection.projectId(), connection.userId(), seq, clock.instant(),
                data);
    }

    /** Who is online in the project, with names and roles; from this instance alone while Redis is away. */
    List<OnlineMember> online(UUID projectId) {
        List<Presence.Online> online;
        try {
            online = presence.online(projectId);
        } catch (RuntimeException e) {
            presenceFailed(e);
            online = localOnline(projectId);
        }
        Map<UUID, ReplicatedUser> names = users.findAll(online.stream().map(Presence.Online::userId).toList());
        List<OnlineMember> members = new ArrayList<>(online.size());
        for (Presence.Online user : online) {
            access.roleOf(projectId, user.userId()).ifPresent(role -> members.add(new OnlineMember(user.userId(),
                    displayName(names.get(user.userId())), role, user.connectedAt(), user.lastSeenAt())));
        }
        return members;
    }

    /** Every heartbeat: vouch for this instance's connections, and sweep those no instance vouches for. */
    @Scheduled(every = "${atelier.workspace.live.presence.heartbeat:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        try {
            channels.allConnections().forEach((projectId, connections) -> presence.renew(projectId,
                    connections.stream().map(ProjectConnection::presence).toList()));
            presence.sweep().forEach((projectId, gone) -> gone.forEach(
                    user -> appendQuietly(projectId, MessageType.USER_LEAVE, user, null, null, null)));
        } catch (RuntimeException e) {
            presenceFailed(e);
        }
    }

    ObjectNode onlineJson(OnlineMember member) {
        ObjectNode json = frames.object();
        json.put("userId", member.userId().toString());
        json.put("displayName", member.displayName());
        json.put("role", member.role().name());
        json.put("connectedAt", member.connectedAt().toString());
        json.put("lastSeenAt", member.lastSeenAt().toString());
        return json;
    }

    private List<Presence.Online> localOnline(UUID projectId) {
        Map<UUID, Presence.Online> byUser = new java.util.LinkedHashMap<>();
        java.time.Instant now = clock.instant();
        for (ProjectConnection connection : channels.connections(projectId)) {
            byUser.merge(connection.userId(), new Presence.Online(connection.userId(), connection.connectedAt(), now),
                    (a, b) -> a.connectedAt().isBefore(b.connectedAt()) ? a : b);
        }
        return new ArrayList<>(byUser.values());
    }

    private ObjectNode memberData(UUID member) {
        ObjectNode data = frames.object();
        data.put("userId", member.toString());
        return data;
    }

    private void appendQuietly(UUID projectId, MessageType type, UUID userId, UUID subject, JsonNode data,
            String path) {
        try {
            log.append(projectId, type, userId, subject, data, path).ifPresent(channels::publish);
        } catch (SQLException e) {
            Log.warnf("%s in project %s not stored: %s", type, projectId, e.getMessage());
        }
    }

    private void presenceFailed(RuntimeException e) {
        presenceUnavailable.increment();
        if (presenceWarnings.due()) {
            Log.warnf("presence in Redis unavailable (this instance's own connections stand in): %s", e.getMessage());
        }
    }

    private static String displayName(ReplicatedUser user) {
        return user == null ? null : user.displayName();
    }
}
