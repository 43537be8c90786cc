package io.atelier.workspace.live;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import io.atelier.platform.feeds.Backlog;
import io.atelier.platform.feeds.CatchUp;
import io.atelier.platform.feeds.FeedId;
import io.atelier.platform.feeds.ResumableDelivery;
import io.atelier.platform.feeds.WebSocketSender;
import io.atelier.platform.security.Caller;
import io.atelier.platform.security.socket.ClientMessageLimit;
import io.atelier.platform.security.socket.CloseCodes;
import io.atelier.platform.security.socket.SocketCallers;
import io.atelier.workspace.access.ProjectAccess;
import io.atelier.workspace.access.Role;
import io.atelier.workspace.config.LiveConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;

/**
 * {@code /ws/projects/{projectId}}: a project's live workspace for its members. On connect a
 * {@code SNAPSHOT} (who is online, the project's sequence number), then, with {@code ?lastSeq=}, every
 * durable message missed since, then live ones, with no gap and no duplicate. Clients send
 * {@code FILE_CHANGE} (OWNER, COLLABORATOR), {@code CURSOR_UPDATE} (any member; relayed at most
 * {@code cursors-per-second}) and {@code PING}. docs/workspace.md has the whole protocol.
 */
@Authenticated
@WebSocket(path = "/ws/projects/{projectId}")
public class ProjectSocket {

    static final String PONG = "{\"type\":\"PONG\"}";
    private static final UserData.TypedKey<ProjectConnection> CONNECTION = new UserData.TypedKey<>("workspace.connection");
    private static final UserData.TypedKey<CursorThrottle<com.fasterxml.jackson.databind.node.ObjectNode>> CURSORS =
            new UserData.TypedKey<>("workspace.cursors");
    private static final CloseReason NOT_A_MEMBER = new CloseReason(CloseCodes.NOT_ALLOWED, "not a member of this project");
    private static final CloseReason PROJECT_GONE = ProjectConnection.PROJECT_GONE;

    private final ProjectChannels channels;
    private final LiveWorkspace live;
    private final ProjectLog log;
    private final ProjectAccess access;
    private final UserConnections userConnections;
    private final Frames frames;
    private final Clock clock;
    private final Vertx vertx;
    private final LiveConfig config;
    private final ClientMessageLimit messageLimit;
    private final MeterRegistry metrics;
    private final CatchUp catchUp;

    ProjectSocket(ProjectChannels channels, LiveWorkspace live, ProjectLog log, ProjectAccess access,
            UserConnections userConnections, Frames frames, Clock clock, Vertx vertx, LiveConfig config,
            MeterRegistry metrics) {
        this.channels = channels;
        this.live = live;
        this.log = log;
        this.access = access;
        this.userConnections = userConnections;
        this.frames = frames;
        this.clock = clock;
        this.vertx = vertx;
        this.config = config;
        this.messageLimit = new ClientMessageLimit(clock, config.messages().perSecond());
        this.metrics = metrics;
        this.catchUp = new CatchUp(config.history().page(), config.connections().stallTimeout(),
                frames.error("history_truncated", "Some messages since lastSeq are no longer kept; "
                        + "reload the workspace. What is kept follows, then live messages."));
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        UUID projectId;
        Long lastSeq;
        try {
            projectId = UUID.fromString(connection.pathParam("projectId"));
        } catch (IllegalArgumentException e) {
            close(connection, CloseCodes.badRequest("projectId: not a project id"));
            return;
        }
        try {
            lastSeq = lastSeq(connection.handshakeRequest().query());
        } catch (IllegalArgumentException e) {
            close(connection, CloseCodes.badRequest("lastSeq: a whole number from 0"));
            return;
        }
        Caller caller = SocketCallers.of(connection);
        Role role = access.roleOf(projectId, caller.id()).orElse(null);
        if (role == null) {
            close(connection, NOT_A_MEMBER);
            return;
        }
        if (!userConnections.tryOpen(caller.id())) {
            close(connection, new CloseReason(CloseCodes.TOO_SLOW,
                    "too many connections (at most " + userConnections.perUser() + " per user)"));
            return;
        }
        try {
            opened(connection, projectId, caller.id(), role, lastSeq);
        } catch (SQLException | RuntimeException e) {
            Log.warnf("opening project socket %s failed: %s", connection.id(), e.getMessage());
            userConnections.closed(caller.id());
            close(connection, new CloseReason(CloseReason.INTERNAL_SERVER_ERROR.getCode(), "workspace unavailable; reconnect"));
        }
    }

    private void opened(WebSocketConnection connection, UUID projectId, UUID userId, Role role, Long lastSeq)
            throws SQLException {
        java.time.Instant connectedAt = clock.instant();
        live.arrive(new Presence.Entry(projectId, userId, connection.id(), connectedAt));
        long[] joinedAt = new long[1];
        ProjectConnection joined = channels.join(projectId, connection.id(), seq -> {
            joinedAt[0] = seq;
            long resumeAfter = lastSeq != null ? Math.min(lastSeq, seq) : seq;
            return new ProjectConnection(connection, projectId, userId, connectedAt,
                    new ResumableDelivery(new FeedId(resumeAfter, 0), config.connections().queue(),
                            WebSocketSender.of(connection),
                            (delivery, after) -> {
                                metrics.counter("atelier.workspace.live.fell-behind").increment();
                                catchUp(connection, projectId, delivery, after);
                            }));
        });
        if (joined == null) {
            userConnections.closed(userId);
            live.depart(new Presence.Entry(projectId, userId, connection.id(), connectedAt));
            close(connection, PROJECT_GONE);
            return;
        }
        connection.userData().put(CONNECTION, joined);
        connection.userData().put(CURSORS, new CursorThrottle<>(config.messages().cursorsPerSecond()));
        if (lastSeq != null && lastSeq > joinedAt[0]) {
            close(connection, CloseCodes.badRequest("lastSeq: the project is at " + joinedAt[0]));
            return;
        }
        joined.delivery().notice(live.snapshot(joined, joinedAt[0], role));
        if (lastSeq == null || lastSeq == joinedAt[0]) {
            joined.delivery().goLive();
        } else {
            catchUp(connection, projectId, joined.delivery(), new FeedId(lastSeq, 0));
        }
    }

    @OnTextMessage
    public String message(String text, WebSocketConnection connection) {
        ProjectConnection joined = connection.userData().get(CONNECTION);
        if (joined == null || !connection.isOpen()) {
            return null;
        }
        if (text.length() > config.messages().maxBytes()
                || text.getBytes(StandardCharsets.UTF_8).length > config.messages().maxBytes()) {
            close(connection, CloseCodes.tooBig());
            return null;
        }
        if (!messageLimit.allow(connection.id())) {
            close(connection, CloseCodes.tooManyMessages());
            return null;
        }
        ClientMessage message;
        try {
            message = ClientMessage.read(text, frames.mapper(), config.messages());
        } catch (ClientMessage.Invalid e) {
            return frames.error("bad_message", e.getMessage());
        }
        return switch (message) {
            case ClientMessage.Ping ping -> PONG;
            case ClientMessage.FileChange change -> fileChange(joined, change);
            case ClientMessage.CursorUpdate cursor -> {
                moveCursor(joined, connection, cursor);
                yield null;
            }
        };
    }

    private String fileChange(ProjectConnection joined, ClientMessage.FileChange change) {
        return switch (live.changeFile(joined, change.path(), change.change())) {
            case DONE -> null; // the client gets its own change back, numbered, like everyone else
            case FORBIDDEN -> frames.error("forbidden", "Your role in this project does not allow file changes.");
            case NOT_A_MEMBER -> {
                joined.close(ProjectConnection.REMOVED);
                yield null;
            }
            case PROJECT_GONE -> {
                joined.close(PROJECT_GONE);
                yield null;
            }
            case UNAVAILABLE -> frames.error("unavailable", "The change was not stored; send it again.");
        };
    }

    private void moveCursor(ProjectConnection joined, WebSocketConnection connection, ClientMessage.CursorUpdate cursor) {
        CursorThrottle<com.fasterxml.jackson.databind.node.ObjectNode> throttle = connection.userData().get(CURSORS);
        CursorThrottle.Decision<com.fasterxml.jackson.databind.node.ObjectNode> decision = throttle.offer(cursor.cursor(),
                System.nanoTime());
        if (decision.sendNow() != null) {
            live.moveCursor(joined, joined.delivery().lastQueued().millis(), decision.sendNow());
        } else if (decision.timerInMillis() >= 0) {
            vertx.setTimer(decision.timerInMillis(), ignored -> {
                var due = throttle.due(System.nanoTime());
                if (due != null && connection.isOpen()) {
                    live.moveCursor(joined, joined.delivery().lastQueued().millis(), due);
                }
            });
        }
    }

    /** A frame past Netty's hard limit: Netty has closed the connection already. */
    @OnError
    public void frameTooLarge(CorruptedWebSocketFrameException e, WebSocketConnection connection) {
        Log.debugf("project socket %s sent a malformed or oversized frame: %s", connection.id(), e.getMessage());
    }

    @OnClose
    public void closed(WebSocketConnection connection) {
        messageLimit.forget(connection.id());
        ProjectConnection joined = connection.userData().remove(CONNECTION);
        if (joined == null) {
            return;
        }
        joined.delivery().close();
        channels.leave(joined);
        userConnections.closed(joined.userId());
        live.depart(joined.presence());
    }

    /** The durable messages after {@code after} from PostgreSQL, then live: when the client resumes, and whenever it fell behind. */
    private void catchUp(WebSocketConnection connection, UUID projectId, ResumableDelivery delivery, FeedId after) {
        catchUp.start("project-catch-up-" + connection.id(), delivery, after, (from, limit) -> {
            long seq = from.millis();
            List<LiveMessage> page = log.readAfter(projectId, seq, limit);
            List<ResumableDelivery.Frame> frames = new ArrayList<>(page.size());
            page.forEach(message -> frames.add(new ResumableDelivery.Frame(message.position(), message.frame())));
            // Durable messages are numbered without holes: a page that starts right after seq proves nothing
            // was trimmed, so the oldest kept is read only when it does not (or there is no page).
            boolean complete = !page.isEmpty() && page.getFirst().seq() == seq + 1;
            if (!complete) {
                OptionalLong oldest = log.oldestKept(projectId);
                complete = oldest.isPresent() && oldest.getAsLong() <= seq + 1;
            }
            return new Backlog.Page(frames, page.isEmpty() ? null : page.getLast().position(), complete);
        }, connection::isOpen, CatchUp.Ends.of(() -> tooSlow(connection), e -> {
            Log.warnf("catch-up for project socket %s failed: %s", connection.id(), e.getMessage());
            close(connection, new CloseReason(CloseReason.INTERNAL_SERVER_ERROR.getCode(), "workspace unavailable; reconnect"));
        }));
    }

    private void tooSlow(WebSocketConnection connection) {
        metrics.counter("atelier.workspace.live.too-slow").increment();
        close(connection, CloseCodes.tooSlow());
    }

    private static void close(WebSocketConnection connection, CloseReason reason) {
        if (connection.isOpen()) {
            connection.close(reason).subscribe().with(ignored -> { }, ignored -> { });
        }
    }

    /** {@code lastSeq} from the handshake's query; null when absent. */
    static Long lastSeq(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        Long found = null;
        for (String pair : query.split("&")) {
            if (pair.startsWith("lastSeq=")) {
                String value = pair.substring("lastSeq=".length());
                if (found != null || !value.matches("\\d{1,18}")) {
                    throw new IllegalArgumentException("lastSeq");
                }
                found = Long.parseLong(value);
            }
        }
        return found;
    }
}
