package io.atelier.platform.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Plain JUnit: ordering, overlap, bounds and pacing of one connection's deliveries. */
class ResumableDeliveryTest {

    /** Completes sends at once, or holds them until released (a client that stopped reading). */
    static final class Transport implements ResumableDelivery.Sender {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        volatile boolean stalled;

        @Override
        public synchronized CompletionStage<Void> send(String message) {
            sent.add(message);
            if (!stalled) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            pending.add(done);
            return done;
        }

        void releaseAll() {
            List<CompletableFuture<Void>> release;
            synchronized (this) {
                stalled = false;
                release = new ArrayList<>(pending);
                pending.clear();
            }
            release.forEach(f -> f.complete(null));
        }
    }

    private static FeedId id(long n) {
        return new FeedId(1000, n);
    }

    private static ResumableDelivery.Frame frame(long n) {
        return new ResumableDelivery.Frame(id(n), "m" + n);
    }

    @Test
    void liveOnlyDeliversInOrder() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(null, 10, transport, () -> { });
        for (long n = 1; n <= 5; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        assertThat(transport.sent).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void replayThenHeldLiveEntriesWithoutGapOrDuplicate() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(2), 10, transport, () -> { });
        // live entries 5..7 arrive while history is read; history overlaps them (3..6)
        delivery.offerLive(id(5), "m5");
        delivery.offerLive(id(6), "m6");
        delivery.offerLive(id(7), "m7");
        assertThat(transport.sent).isEmpty();
        delivery.replay(List.of(frame(3), frame(4), frame(5), frame(6)));
        delivery.goLive();
        delivery.offerLive(id(7), "m7"); // a tail may hand the same entry again
        delivery.offerLive(id(8), "m8");
        assertThat(transport.sent).containsExactly("m3", "m4", "m5", "m6", "m7", "m8");
    }

    @Test
    void historyAtOrBeforeTheResumePointIsSkipped() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(4), 10, transport, () -> { });
        delivery.replay(List.of(frame(3), frame(4), frame(5)));
        delivery.goLive();
        assertThat(transport.sent).containsExactly("m5");
    }

    @Test
    void aStalledClientOverflowsItsQueueAndIsGivenUp() {
        Transport transport = new Transport();
        transport.stalled = true;
        AtomicInteger overflows = new AtomicInteger();
        ResumableDelivery delivery = new ResumableDelivery(null, 5, transport, overflows::incrementAndGet);
        int offered = ResumableDelivery.WINDOW + 5;
        for (long n = 1; n <= offered; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        assertThat(overflows).hasValue(0);
        assertThat(delivery.waiting()).isEqualTo(5);
        delivery.offerLive(id(offered + 1), "one too many");
        assertThat(overflows).hasValue(1);
        assertThat(delivery.waiting()).isZero();
        transport.releaseAll();
        delivery.offerLive(id(offered + 2), "after the end");
        assertThat(transport.sent).hasSize(ResumableDelivery.WINDOW).doesNotContain("one too many", "after the end");
    }

    @Test
    void tooManyLiveEntriesDuringAReplayAreAnOverflowToo() {
        Transport transport = new Transport();
        AtomicInteger overflows = new AtomicInteger();
        ResumableDelivery delivery = new ResumableDelivery(id(0), 3, transport, overflows::incrementAndGet);
        for (long n = 1; n <= 4; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        assertThat(overflows).hasValue(1);
    }

    @Test
    void drainedCompletesOnceEverythingQueuedWasSent() {
        Transport transport = new Transport();
        transport.stalled = true;
        ResumableDelivery delivery = new ResumableDelivery(id(0), 100, transport, () -> { });
        delivery.replay(List.of(frame(1), frame(2), frame(3)));
        CompletableFuture<Void> drained = delivery.drained().toCompletableFuture();
        assertThat(drained).isNotDone();
        transport.releaseAll();
        assertThat(drained).isCompleted();
        assertThat(delivery.drained().toCompletableFuture()).isCompleted();
    }

    @Test
    void noticesKeepTheirPlaceAndDoNotMoveTheResumePoint() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(1), 10, transport, () -> { });
        delivery.notice("gap");
        delivery.replay(List.of(frame(2)));
        delivery.goLive();
        assertThat(transport.sent).containsExactly("gap", "m2");
        assertThat(delivery.lastQueued()).isEqualTo(id(2));
    }

    @Test
    void aFailedSendEndsTheDelivery() {
        AtomicInteger calls = new AtomicInteger();
        ResumableDelivery delivery = new ResumableDelivery(null, 10,
                message -> {
                    calls.incrementAndGet();
                    return CompletableFuture.failedFuture(new IllegalStateException("closed"));
                }, () -> { });
        delivery.offerLive(id(1), "m1");
        delivery.offerLive(id(2), "m2");
        assertThat(calls).hasValue(1);
    }

    @Test
    void droppableMessagesGiveWayUnderPressureAndNeverDuringAReplay() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(0), 40, transport, () -> { });
        assertThat(delivery.offerDroppable("cursor-while-catching-up")).isFalse();
        delivery.goLive();

        assertThat(delivery.offerDroppable("cursor-1")).isTrue();
        transport.stalled = true;
        // 16 writes fill the window, then 10 (a quarter of 40) wait: a droppable message no longer fits
        for (long n = 1; n <= 26; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        assertThat(delivery.offerDroppable("cursor-2")).isFalse();
        delivery.offerLive(id(27), "m27"); // what must arrive still queues
        transport.releaseAll();
        while (!transport.pending.isEmpty() || delivery.waiting() > 0) {
            transport.releaseAll();
        }
        assertThat(delivery.offerDroppable("cursor-3")).isTrue();

        assertThat(transport.sent).doesNotContain("cursor-while-catching-up", "cursor-2");
        assertThat(transport.sent).startsWith("cursor-1", "m1").endsWith("m27", "cursor-3").hasSize(29);
    }
}
