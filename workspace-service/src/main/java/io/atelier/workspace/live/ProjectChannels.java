package io.atelier.workspace.live;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.atelier.platform.feeds.Feed;
import io.atelier.platform.feeds.FeedEntry;
import io.atelier.platform.feeds.Feeds;
import io.atelier.platform.web.LogThrottle;
import io.atelier.workspace.config.LiveConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Every project with sockets on this instance, and how messages reach them from anywhere:
 * <ul>
 * <li>a durable message appended here is passed to this instance's channel at once, and published to
 * the Redis stream {@code workspace-service:feed:project-messages} for the other instances (by one
 * publisher thread from a bounded queue, so a slow or absent Redis never holds up a socket);</li>
 * <li>every instance tails that stream and passes each message to its own channel of the project;</li>
 * <li>a channel that sees a gap reads the missing messages from the project's log in PostgreSQL, and
 * each instance asks the log every {@code catch-up-interval} whether its projects moved on without it,
 * so a message Redis lost (a restart, an outage) arrives late, never not at all.</li>
 * </ul>
 */
@ApplicationScoped
class ProjectChannels {

    private static final String FEED = "project-messages";
    private static final int PUBLISH_QUEUE = 10_000;

    private final Map<UUID, ProjectChannel> channels = new ConcurrentHashMap<>();
    private final BlockingQueue<LiveMessage> toPublish = new ArrayBlockingQueue<>(PUBLISH_QUEUE);
    private final String instance = UUID.randomUUID().toString();
    private final ProjectLog log;
    private final Feeds feeds;
    private final LiveConfig.History history;
    private final LogThrottle redisWarnings;
    private final Counter notPublished;
    private final Counter filledFromLog;
    private volatile Feed feed;
    private volatile Thread publisher;

    ProjectChannels(ProjectLog log, Feeds feeds, LiveConfig config, MeterRegistry metrics, Clock clock) {
        this.log = log;
        this.redisWarnings = new LogThrottle(clock, Duration.ofSeconds(30));
        this.feeds = feeds;
        this.history = config.history();
        this.notPublished = Counter.builder("atelier.workspace.live.unpublished")
                .description("Messages not carried to other instances through Redis (they catch up from PostgreSQL)")
                .register(metrics);
        this.filledFromLog = Counter.builder("atelier.workspace.live.filled")
                .description("Messages an instance read from a project's log because they had not reached it through Redis")
                .register(metrics);
        metrics.gaugeMapSize("atelier.workspace.live.projects", List.of(), channels);
    }

    void start(@Observes StartupEvent startup) {
        feed = feeds.feed(FEED, history.transportRetained(), Duration.ofMinutes(1));
        feeds.tail(feed, this::arrived);
        publisher = Thread.ofPlatform().daemon().name("project-messages-publisher").start(this::publishLoop);
    }

    @PreDestroy
    void stop() {
        Thread running = publisher;
        if (running != null) {
            running.interrupt();
        }
    }

    /**
     * Adds a socket to its project's channel (made when it is the first here, at the log's head).
     * Blocking (reads the log's head); call from the connection's own worker context.
     *
     * @return null when the project no longer exists
     */
    ProjectConnection join(UUID projectId, String connectionId, LongFunction<ProjectConnection> make)
            throws SQLException {
        while (true) {
            ProjectChannel channel = channels.get(projectId);
            if (channel == null) {
                var head = log.head(projectId);
                if (head.isEmpty()) {
                    return null;
                }
                ProjectChannel made = new ProjectChannel(projectId, head.getAsLong());
                channel = channels.putIfAbsent(projectId, made);
                if (channel == null) {
                    channel = made;
                }
            }
            ProjectConnection connection = channel.join(connectionId, make);
            if (channels.get(projectId) == channel) {
                return connection;
            }
            channel.leave(connectionId); // the channel emptied and was dropped meanwhile: join its successor
        }
    }

    void leave(ProjectConnection connection) {
        channels.computeIfPresent(connection.projectId(), (id, channel) -> {
            channel.leave(connection.id());
            return channel.size() == 0 ? null : channel;
        });
    }

    /** This instance's sockets of a project (for presence); empty when it has none. */
    List<ProjectConnection> connections(UUID projectId) {
        ProjectChannel channel = channels.get(projectId);
        return channel == null ? List.of() : channel.connections();
    }

    Map<UUID, List<ProjectConnection>> allConnections() {
        Map<UUID, List<ProjectConnection>> all = new HashMap<>();
        channels.forEach((id, channel) -> all.put(id, channel.connections()));
        return all;
    }

    /**
     * A message made on this instance (durable ones after their commit): to the others, and to its sockets here.
     * Handed to the publisher first: the local fan-out queues its writes on the event loops, and the Redis
     * connection lives on one of them, so a publish queued after them waited for this instance's sockets before
     * the other instances' could start (bench/workspace: 7 ms at the median with 500 sockets per instance).
     * Either order is safe: a channel passes each sequence number once, whichever way it came first.
     */
    void publish(LiveMessage message) {
        if (!toPublish.offer(message)) {
            notPublished.increment();
        }
        ProjectChannel channel = channels.get(message.projectId());
        if (channel != null) {
            pass(channel, message);
        }
    }

    /** On the feed's tail thread: a message from any instance (this one's too). */
    private void arrived(FeedEntry entry) {
        Map<String, String> fields = entry.fields();
        ProjectChannel channel;
        LiveMessage message;
        try {
            UUID projectId = UUID.fromString(fields.get("p"));
            channel = channels.get(projectId);
            if (channel == null) {
                return;
            }
            MessageType type = MessageType.valueOf(fields.get("t"));
            if (!type.durable() && instance.equals(fields.get("i"))) {
                return; // passed on here when it was made
            }
            message = new LiveMessage(projectId, Long.parseLong(fields.get("s")), type, uuid(fields.get("u")),
                    uuid(fields.get("x")), fields.get("f"), fields.get("m"));
        } catch (RuntimeException e) {
            Log.warnf("project message %s is unreadable; skipped: %s", entry.id(), e.getMessage());
            return;
        }
        pass(channel, message);
    }

    private void pass(ProjectChannel channel, LiveMessage message) {
        if (!message.type().durable()) {
            channel.passTransient(message);
        } else if (channel.receive(message)) {
            fillLater(channel);
        }
    }

    /** Every catch-up interval: projects whose log moved past what this instance passed on; projects gone. */
    @Scheduled(every = "${atelier.workspace.live.history.catch-up-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void catchUp() {
        if (channels.isEmpty()) {
            return;
        }
        Map<UUID, Long> heads;
        try {
            heads = log.heads(List.copyOf(channels.keySet()));
        } catch (SQLException e) {
            Log.warnf("catching up with project logs failed: %s", e.getMessage());
            return;
        }
        channels.forEach((projectId, channel) -> {
            Long head = heads.get(projectId);
            if (head == null) {
                channel.connections().forEach(connection -> connection.close(ProjectConnection.PROJECT_GONE));
            } else if (channel.behind(head)) {
                fillLater(channel);
            }
        });
    }

    private void fillLater(ProjectChannel channel) {
        Thread.ofVirtual().name("project-fill-" + channel.projectId).start(() -> fill(channel));
    }

    /** Reads what the channel misses from the log, page by page, until it has no gap. */
    private void fill(ProjectChannel channel) {
        try {
            boolean again = true;
            while (again) {
                List<LiveMessage> read = log.readAfter(channel.projectId, channel.last(), history.page());
                for (LiveMessage message : read) {
                    filledFromLog.increment();
                    channel.receive(message);
                }
                again = read.size() == history.page() || channel.fillDone(read.isEmpty());
            }
        } catch (SQLException e) {
            Log.warnf("filling project %s from its log failed (the next catch-up retries): %s", channel.projectId,
                    e.getMessage());
            channel.fillFailed();
        }
    }

    private void publishLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            LiveMessage message;
            try {
                message = toPublish.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (message == null) {
                continue;
            }
            try {
                feed.append(message.type().durable() ? message.projectId() + ":" + message.seq() : UUID.randomUUID().toString(),
                        fields(message));
            } catch (RuntimeException e) {
                notPublished.increment();
                if (redisWarnings.due()) {
                    Log.warnf("Redis took no project message (other instances catch up from PostgreSQL within %s): %s",
                            history.catchUpInterval(), e.getMessage());
                }
            }
        }
    }

    private Map<String, String> fields(LiveMessage message) {
        Map<String, String> fields = new HashMap<>();
        fields.put("p", message.projectId().toString());
        fields.put("s", Long.toString(message.seq()));
        fields.put("t", message.type().name());
        fields.put("i", instance);
        fields.put("m", message.frame());
        if (message.userId() != null) {
            fields.put("u", message.userId().toString());
        }
        if (message.subject() != null) {
            fields.put("x", message.subject().toString());
        }
        if (message.from() != null) {
            fields.put("f", message.from());
        }
        return fields;
    }

    private static UUID uuid(String text) {
        return text == null ? null : UUID.fromString(text);
    }
}
