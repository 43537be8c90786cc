package io.atelier.workspace.live;

import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongFunction;

import io.atelier.platform.feeds.ConnectionsByEventLoop;

/**
 * One project's messages on this instance, handed to its sockets strictly in sequence order. A message
 * that arrives ahead of one still missing (Redis carries messages of different instances independently)
 * waits, bounded, while the missing ones are read from the project's log ({@link ProjectChannels} fills
 * the gap); one already passed on is dropped. Thread-safe.
 */
final class ProjectChannel {

    /** Messages held while a gap is filled; beyond it they are read back from the log with the gap. */
    private static final int MAX_EARLY = 10_000;

    final UUID projectId;
    private final ConnectionsByEventLoop<ProjectConnection> connections = new ConnectionsByEventLoop<>();
    private final TreeMap<Long, LiveMessage> early = new TreeMap<>();
    private long last;
    private boolean filling;

    ProjectChannel(UUID projectId, long last) {
        this.projectId = projectId;
        this.last = last;
    }

    /**
     * Adds a connection made (under this channel's lock) for the sequence number it joins at: it is handed
     * every message after that. Call from the connection's own context.
     */
    synchronized ProjectConnection join(String id, LongFunction<ProjectConnection> make) {
        ProjectConnection connection = make.apply(last);
        connections.add(id, connection);
        return connection;
    }

    ProjectConnection leave(String id) {
        return connections.remove(id);
    }

    int size() {
        return connections.size();
    }

    synchronized long last() {
        return last;
    }

    /**
     * A durable message, from this instance or another, in any order.
     *
     * @return true when the caller must fill a gap before {@link #last()} (see {@link #fillDone})
     */
    synchronized boolean receive(LiveMessage message) {
        if (message.seq() <= last) {
            return false; // passed on already (it came both from here and through Redis, or was read back)
        }
        if (message.seq() == last + 1) {
            pass(message);
            while (!early.isEmpty() && early.firstKey() <= last + 1) {
                LiveMessage next = early.pollFirstEntry().getValue();
                if (next.seq() == last + 1) {
                    pass(next);
                }
            }
        } else if (early.size() < MAX_EARLY) {
            early.put(message.seq(), message);
        }
        return startFill(!early.isEmpty());
    }

    /** The log says the project is at {@code head}: a gap when this channel is behind it. */
    synchronized boolean behind(long head) {
        return startFill(head > last);
    }

    /**
     * Messages the log had after {@code last} were read up to {@code upTo}; when the log holds nothing
     * after {@code last} although later ones arrived (trimmed history), skip ahead to them.
     *
     * @return true when another round of filling is needed; else filling ends
     */
    synchronized boolean fillDone(boolean logHadNothing) {
        if (logHadNothing && !early.isEmpty()) {
            last = early.firstKey() - 1;
            while (!early.isEmpty() && early.firstKey() == last + 1) {
                pass(early.pollFirstEntry().getValue());
            }
        }
        if (early.isEmpty()) {
            filling = false;
            return false;
        }
        return true;
    }

    /** Reading the log failed: the next catch-up starts a fill again. */
    synchronized void fillFailed() {
        filling = false;
    }

    /** A message outside the sequence (cursor moves, a project deleted): passed on at once. */
    void passTransient(LiveMessage message) {
        connections.fanOut(connection -> connection.deliver(message));
    }

    List<ProjectConnection> connections() {
        return connections.snapshot();
    }

    private void pass(LiveMessage message) {
        last = message.seq();
        connections.fanOut(connection -> connection.deliver(message));
    }

    private boolean startFill(boolean needed) {
        if (!needed || filling) {
            return false;
        }
        filling = true;
        return true;
    }
}
