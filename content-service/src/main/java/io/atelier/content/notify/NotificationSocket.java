package io.atelier.content.notify;

import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.atelier.content.config.ContentConfig;
import io.atelier.platform.feeds.Backlog;
import io.atelier.platform.feeds.CatchUp;
import io.atelier.platform.feeds.Feed;
import io.atelier.platform.feeds.FeedEntry;
import io.atelier.platform.feeds.FeedId;
import io.atelier.platform.feeds.History;
import io.atelier.platform.feeds.ResumableDelivery;
import io.atelier.platform.feeds.WebSocketSender;
import io.atelier.platform.security.socket.ClientMessageLimit;
import io.atelier.platform.security.socket.CloseCodes;
import io.atelier.platform.security.socket.SocketCallers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.CloseReason;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * {@code /ws/notifications}: every change to posts, and to the caller's own collections, live. With
 * {@code ?since=<id>} a reconnecting client first gets what it missed, then live notifications, with no
 * gap and no duplicate; {@code ?types=} narrows what it gets. The client has nothing to say but
 * {@code {"type":"PING"}} (answered {@code PONG}), for browsers, which cannot send ping frames.
 */
@Authenticated
@WebSocket(path = "/ws/notifications")
public class NotificationSocket {

    static final String PONG = "{\"type\":\"PONG\"}";
    static final String UNSUPPORTED = "{\"type\":\"ERROR\",\"code\":\"unsupported\","
            + "\"message\":\"This socket only sends notifications; the only message it takes is {\\\"type\\\":\\\"PING\\\"}.\"}";
    static final String HISTORY_TRUNCATED = "{\"type\":\"ERROR\",\"code\":\"history_truncated\","
            + "\"message\":\"Some notifications since the given id are no longer kept; reload what you show. "
            + "What is kept follows, then live notifications.\"}";
    static final String REPLAY_FAILED = "notifications unavailable; reconnect";
    private static final Pattern PING = Pattern.compile("\\{\\s*\"type\"\\s*:\\s*\"PING\"\\s*}");

    private final Subscribers subscribers;
    private final Feed feed;
    private final ContentConfig.Notifications config;
    private final ClientMessageLimit messageLimit;
    private final MeterRegistry metrics;
    private final CatchUp catchUp;

    NotificationSocket(Subscribers subscribers, NotificationFeed feed, ContentConfig config, Clock clock,
            MeterRegistry metrics) {
        this.subscribers = subscribers;
        this.feed = feed.feed();
        this.config = config.notifications();
        this.messageLimit = new ClientMessageLimit(clock, this.config.clientMessagesPerSecond());
        this.metrics = metrics;
        this.catchUp = new CatchUp(this.config.replayPage(), this.config.stallTimeout(), HISTORY_TRUNCATED);
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        SubscriptionRequest request;
        try {
            request = SubscriptionRequest.parse(connection.handshakeRequest().query());
        } catch (SubscriptionRequest.Invalid e) {
            connection.close(CloseCodes.badRequest(e.getMessage())).subscribe().with(ignored -> { }, ignored -> { });
            return;
        }
        ResumableDelivery delivery = new ResumableDelivery(request.since(), config.queuePerConnection(),
                WebSocketSender.of(connection),
                (fell, after) -> {
                    metrics.counter("atelier.content.notifications.fell-behind").increment();
                    catchUp(connection, request.types(), fell, after);
                });
        Subscriber subscriber = new Subscriber(connection.id(), SocketCallers.of(connection).id(), request.types(),
                delivery);
        subscribers.add(subscriber); // live entries from here on: held while a catch-up runs
        if (request.since() != null) {
            catchUp(connection, request.types(), delivery, request.since());
        }
    }

    @OnTextMessage
    public String message(String text, WebSocketConnection connection) {
        if (!connection.isOpen()) {
            return null; // closed for an earlier message; frames already in flight are dropped
        }
        if (text.length() > config.clientMessageMaxBytes()
                || text.getBytes(StandardCharsets.UTF_8).length > config.clientMessageMaxBytes()) {
            connection.close(CloseCodes.tooBig()).subscribe().with(ignored -> { }, ignored -> { });
            return null;
        }
        if (!messageLimit.allow(connection.id())) {
            connection.close(CloseCodes.tooManyMessages()).subscribe().with(ignored -> { }, ignored -> { });
            return null;
        }
        return PING.matcher(text.strip()).matches() ? PONG : UNSUPPORTED;
    }

    /** A frame past Netty's hard limit: Netty has dropped the connection already; nothing to log above debug. */
    @OnError
    public void frameTooLarge(CorruptedWebSocketFrameException e, WebSocketConnection connection) {
        Log.debugf("notification socket %s sent a malformed or oversized frame: %s", connection.id(), e.getMessage());
    }

    @OnClose
    public void closed(WebSocketConnection connection) {
        subscribers.remove(connection.id());
        messageLimit.forget(connection.id());
    }

    /** From the feed's history after {@code after}, then live: when the client resumes, and whenever it fell behind. */
    private void catchUp(WebSocketConnection connection, Set<NotificationType> types, ResumableDelivery delivery,
            FeedId after) {
        catchUp.start("notifications-catch-up-" + connection.id(), delivery, after,
                (from, limit) -> page(feed.readAfter(from, limit), connection, types), connection::isOpen,
                CatchUp.Ends.of(() -> tooSlow(connection), e -> {
                    Log.warnf("notification catch-up for connection %s failed: %s", connection.id(), e.getMessage());
                    subscribers.remove(connection.id());
                    connection.close(new CloseReason(CloseReason.INTERNAL_SERVER_ERROR.getCode(), REPLAY_FAILED))
                            .subscribe().with(ignored -> { }, ignored -> { });
                }));
    }

    /** The frames of the entries this connection wants, each entry read once. */
    private static Backlog.Page page(History history, WebSocketConnection connection, Set<NotificationType> types) {
        List<ResumableDelivery.Frame> frames = new ArrayList<>(history.entries().size());
        java.util.UUID userId = SocketCallers.of(connection).id();
        for (FeedEntry entry : history.entries()) {
            Notification.read(entry).filter(n -> Subscriber.wants(types, userId, n)).ifPresent(
                    notification -> frames.add(new ResumableDelivery.Frame(entry.id(),
                            notification.render(entry.id().toString()))));
        }
        FeedId last = history.entries().isEmpty() ? null : history.entries().getLast().id();
        return new Backlog.Page(frames, last, history.complete());
    }

    private void tooSlow(WebSocketConnection connection) {
        metrics.counter("atelier.content.notifications.too-slow").increment();
        subscribers.remove(connection.id());
        connection.close(CloseCodes.tooSlow()).subscribe().with(ignored -> { }, ignored -> { });
    }
}
