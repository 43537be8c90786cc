package io.atelier.platform.feeds;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.quarkus.logging.Log;

/**
 * Brings a connection's {@link ResumableDelivery} up to date from a {@link Backlog} and then live: when
 * the client resumes after an id it saw, and again whenever it fell behind the live entries. It reads a
 * page, waits until the client has taken it, reads the next, so memory holds one page per connection
 * however far behind the client is; it stops when history is exhausted and the delivery goes live.
 *
 * <p>A client that does not take a page within {@code stallTimeout} is not reading: {@link Ends#tooSlow()}.
 * When the first page shows entries were lost (trimmed or gone), the client is told with {@code gapNotice}
 * before what is still kept.
 */
public final class CatchUp {

    /** How a catch-up ended when it did not end live. */
    public interface Ends {
        /** The client did not take a page in time. */
        void tooSlow();

        /** The backlog could not be read. */
        void failed(Exception e);

        static Ends of(Runnable tooSlow, java.util.function.Consumer<Exception> failed) {
            return new Ends() {
                @Override
                public void tooSlow() {
                    tooSlow.run();
                }

                @Override
                public void failed(Exception e) {
                    failed.accept(e);
                }
            };
        }
    }

    private final int pageSize;
    private final Duration stallTimeout;
    private final String gapNotice;

    public CatchUp(int pageSize, Duration stallTimeout, String gapNotice) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1");
        }
        this.pageSize = pageSize;
        this.stallTimeout = stallTimeout;
        this.gapNotice = gapNotice;
    }

    /** Runs the catch-up on a virtual thread of its own; returns at once. */
    public void start(String name, ResumableDelivery delivery, FeedId after, Backlog backlog, BooleanSupplier open,
            Ends ends) {
        Thread.ofVirtual().name(name).start(() -> run(delivery, after, backlog, open, ends));
    }

    /** Blocking: the same catch-up on the caller's thread. */
    public void run(ResumableDelivery delivery, FeedId after, Backlog backlog, BooleanSupplier open, Ends ends) {
        FeedId position = after;
        boolean first = true;
        try {
            while (open.getAsBoolean()) {
                Backlog.Page page = backlog.readAfter(position, pageSize);
                if (first && !page.complete()) {
                    delivery.notice(gapNotice);
                }
                first = false;
                if (page.isEmpty()) {
                    if (delivery.goLive()) {
                        return;
                    }
                    continue; // live entries came faster than they could be held: they are in the backlog
                }
                delivery.replay(page.frames());
                position = page.last();
                delivery.drained().toCompletableFuture().get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            delivery.close();
            ends.tooSlow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery.close();
        } catch (Exception e) {
            Log.debugf(e, "catch-up from %s failed", after);
            delivery.close();
            ends.failed(e);
        }
    }
}
