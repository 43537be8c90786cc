package io.atelier.platform.feeds;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What one connection is sent, in feed order, with no gap and no duplicate across a reconnect: first the
 * entries it missed after the id it resumes from ({@link #replay}), then live ones ({@link #offerLive}).
 * Live entries that arrive while it catches up are held and released after the replay; every entry at or
 * below the last one queued is dropped, so the overlap between history and live is sent once.
 *
 * <p>Bounded: at most {@code capacity} live messages wait, and at most as many are held during a replay.
 * A client that falls further behind is not sent the rest from memory: what waits is dropped and the
 * delivery goes back to catching up from the feed's history after the last message the transport took
 * ({@link FallBehind}, usually a {@link CatchUp}), so a burst larger than the queue costs a healthy
 * client a few history reads, never its connection, and never anyone else's delay or the heap. A client
 * that stops reading is found out by the catch-up (it does not take a page in time) and closed there. At
 * most {@link #WINDOW} writes are in flight at once, so a stalled client's socket buffer, not this queue,
 * is where its backlog starts.
 *
 * <p>Thread-safe: the feed's tail offers live entries, a replaying thread offers history, and the
 * connection's event loop completes sends. Sends are started under this object's lock, so they reach
 * the connection in queue order.
 */
public final class ResumableDelivery {

    /** Writes in flight per connection before the queue waits for one to finish. */
    static final int WINDOW = 16;

    /**
     * Sends one text message and calls {@code done} once: with null when the transport took it, else with
     * the failure. A callback rather than a future: it is called for every frame to every socket, and each
     * future (with the context it captures) costs as much as the write. Must not block.
     */
    @FunctionalInterface
    public interface Sender {
        void send(String message, Consumer<Throwable> done);
    }

    /**
     * What to do when live entries outgrew the queue: the queue was emptied, the delivery is catching up
     * again, and the client must be sent everything after {@code resumeAfter} from history, then
     * {@link #goLive()}. Called at most once per fall, on the thread that offered the live entry; must not block.
     */
    @FunctionalInterface
    public interface FallBehind {
        void fellBehind(ResumableDelivery delivery, FeedId resumeAfter);
    }

    /** A feed entry as this connection is sent it. */
    public record Frame(FeedId id, String message) {
    }

    /** {@code id} null: not from the feed (a notice, or a droppable message when {@code droppable}). */
    private record Item(FeedId id, String message, boolean droppable) {
    }

    private final int capacity;
    private final Sender sender;
    private final FallBehind fallBehind;
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final ArrayDeque<Item> held = new ArrayDeque<>();
    private final List<CompletableFuture<Void>> drainWaiters = new ArrayList<>();
    private FeedId lastQueued;
    private FeedId lastSent;
    private boolean catchingUp;
    private boolean missedLive;
    private boolean closed;
    private boolean pumping;
    private int inFlight;

    /**
     * @param resumeAfter the last id the client saw: it gets what came after, starting with {@link #replay};
     *            null for live entries only
     */
    public ResumableDelivery(FeedId resumeAfter, int capacity, Sender sender, FallBehind fallBehind) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.sender = sender;
        this.fallBehind = fallBehind;
        this.catchingUp = resumeAfter != null;
        this.lastQueued = resumeAfter == null ? FeedId.ZERO : resumeAfter;
        this.lastSent = lastQueued;
    }

    /**
     * A live entry from the feed's tail. Never blocks. When it does not fit, the client fell behind: the
     * queue is emptied and {@link FallBehind} told where history must take over (the entry is in history).
     */
    public void offerLive(FeedId id, String message) {
        FeedId resumeAfter = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (catchingUp) {
                if (held.size() >= capacity) {
                    held.clear(); // history has them too; goLive() says the catch-up must read on
                    missedLive = true;
                } else if (!missedLive) {
                    held.add(new Item(id, message, false));
                }
                return;
            }
            if (!enqueue(id, message, true)) {
                resumeAfter = startCatchingUp();
            }
        }
        if (resumeAfter != null) {
            fallBehind.fellBehind(this, resumeAfter);
        } else {
            pump();
        }
    }

    /** Frames of entries read from the feed's history, oldest first; those not after the last one queued are skipped. */
    public void replay(List<Frame> frames) {
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Frame frame : frames) {
                enqueue(frame.id(), frame.message(), false);
            }
        }
        pump();
    }

    /** A message outside the feed (e.g. "you missed some history"), queued in order, with no id. */
    public void notice(String message) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(new Item(null, message, false));
        }
        pump();
    }

    /**
     * A message that may be lost (e.g. a cursor position, soon superseded by the next one): queued only
     * while the connection keeps up, that is while it is live and fewer than {@code capacity / 4}
     * messages wait; otherwise dropped, so under pressure it gives way before anything that must arrive.
     *
     * @return false when dropped
     */
    public boolean offerDroppable(String message) {
        synchronized (this) {
            if (closed || catchingUp || queue.size() >= Math.max(1, capacity / 4)) {
                return false;
            }
            queue.add(new Item(null, message, true));
        }
        pump();
        return true;
    }

    /** Completes when everything queued so far was sent (or the delivery ended): pace the next replay page. */
    public synchronized CompletionStage<Void> drained() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        if (closed || (queue.isEmpty() && inFlight == 0)) {
            waiter.complete(null);
        } else {
            drainWaiters.add(waiter);
        }
        return waiter;
    }

    /**
     * The history read so far is sent: release the held live entries that are newer, and go live. Refused
     * when live entries had to be let go meanwhile (more arrived than can be held): read history on.
     *
     * @return true when live (or closed); false when the caller must read more history first
     */
    public boolean goLive() {
        synchronized (this) {
            if (closed || !catchingUp) {
                return true;
            }
            if (missedLive) {
                missedLive = false;
                return false;
            }
            catchingUp = false;
            for (Item item : held) {
                enqueue(item.id(), item.message(), false);
            }
            held.clear();
        }
        pump();
        return true;
    }

    /** The last feed id queued for this client: what it has seen once the queue has drained. */
    public synchronized FeedId lastQueued() {
        return lastQueued;
    }

    public synchronized int waiting() {
        return queue.size() + held.size();
    }

    /** Stops sending; what waits is dropped (the connection is gone). */
    public void close() {
        List<CompletableFuture<Void>> waiters;
        synchronized (this) {
            closed = true;
            queue.clear();
            held.clear();
            waiters = takeWaiters();
        }
        waiters.forEach(w -> w.complete(null));
    }

    /** @return false when the queue is full (only checked for live entries) */
    private boolean enqueue(FeedId id, String message, boolean bounded) {
        if (!id.isAfter(lastQueued)) {
            return true; // already queued: history and live overlap, or a tail redelivered it
        }
        if (bounded && queue.size() >= capacity) {
            return false;
        }
        queue.add(new Item(id, message, false));
        lastQueued = id;
        return true;
    }

    /**
     * Under the lock: drops what waits but notices (they have no history to come back from), and makes the
     * last entry the transport took the point to resume after.
     */
    private FeedId startCatchingUp() {
        catchingUp = true;
        missedLive = false;
        held.clear();
        queue.removeIf(item -> item.id() != null || item.droppable());
        lastQueued = lastSent;
        return lastSent;
    }

    private void pump() {
        List<CompletableFuture<Void>> waiters = List.of();
        synchronized (this) {
            if (pumping) {
                return; // a send completed synchronously inside the loop below; the loop goes on
            }
            pumping = true;
            try {
                while (!closed && inFlight < WINDOW && !queue.isEmpty()) {
                    Item item = queue.poll();
                    inFlight++;
                    if (item.id() != null) {
                        lastSent = item.id();
                    }
                    try {
                        sender.send(item.message(), this::sent);
                    } catch (RuntimeException e) {
                        sent(e);
                    }
                }
                if (queue.isEmpty() && inFlight == 0) {
                    waiters = takeWaiters();
                }
            } finally {
                pumping = false;
            }
        }
        waiters.forEach(w -> w.complete(null));
    }

    private void sent(Throwable failure) {
        boolean loop;
        synchronized (this) {
            inFlight--;
            loop = !pumping;
        }
        if (failure != null) {
            close(); // the connection is broken or closing: nothing more can reach it
        } else if (loop) {
            pump();
        }
    }

    private List<CompletableFuture<Void>> takeWaiters() {
        if (drainWaiters.isEmpty()) {
            return List.of(); // the usual case, after every frame: no copy
        }
        List<CompletableFuture<Void>> waiters = new ArrayList<>(drainWaiters);
        drainWaiters.clear();
        return waiters;
    }
}
