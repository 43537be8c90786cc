package io.atelier.platform.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** Plain JUnit: ordering, overlap, bounds and pacing of one connection's deliveries. */
class ResumableDeliveryTest {

    /** Completes sends at once, or holds them until released (a client that stopped reading). */
    static final class Transport implements ResumableDelivery.Sender {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();
        volatile boolean stalled;

        @Override
        public void send(String message, Consumer<Throwable> done) {
            synchronized (this) {
                sent.add(message);
                if (stalled) {
                    pending.add(done);
                    return;
                }
            }
            done.accept(null);
        }

        void releaseAll() {
            synchronized (this) {
                stalled = false;
            }
            releasePending();
        }

        /** Completes the sends waiting so far; later ones wait again (a client that reads slowly). */
        void releasePending() {
            List<Consumer<Throwable>> release;
            synchronized (this) {
                release = new ArrayList<>(pending);
                pending.clear();
            }
            release.forEach(done -> done.accept(null));
        }
    }

    private static final ResumableDelivery.FallBehind NOT_EXPECTED = (delivery, after) -> {
        throw new AssertionError("fell behind after " + after);
    };

    private static FeedId id(long n) {
        return new FeedId(1000, n);
    }

    private static ResumableDelivery.Frame frame(long n) {
        return new ResumableDelivery.Frame(id(n), "m" + n);
    }

    @Test
    void liveOnlyDeliversInOrder() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(null, 10, transport, NOT_EXPECTED);
        for (long n = 1; n <= 5; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        assertThat(transport.sent).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void replayThenHeldLiveEntriesWithoutGapOrDuplicate() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(2), 10, transport, NOT_EXPECTED);
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
        ResumableDelivery delivery = new ResumableDelivery(id(4), 10, transport, NOT_EXPECTED);
        delivery.replay(List.of(frame(3), frame(4), frame(5)));
        delivery.goLive();
        assertThat(transport.sent).containsExactly("m5");
    }

    @Test
    void aClientThatFallsBehindGoesBackToHistoryAfterTheLastEntryItWasSent() {
        Transport transport = new Transport();
        transport.stalled = true;
        List<FeedId> falls = new CopyOnWriteArrayList<>();
        ResumableDelivery delivery = new ResumableDelivery(null, 5, transport, (d, after) -> falls.add(after));
        delivery.notice("hello");
        int fits = ResumableDelivery.WINDOW + 4; // the notice takes one place in the window
        for (long n = 1; n <= fits; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        assertThat(delivery.offerDroppable("cursor")).isFalse(); // a quarter of the queue is full already
        assertThat(falls).isEmpty();
        assertThat(delivery.waiting()).isEqualTo(5);

        delivery.offerLive(id(fits + 1), "one too many");
        long lastSent = ResumableDelivery.WINDOW - 1;
        assertThat(falls).containsExactly(id(lastSent));
        assertThat(delivery.waiting()).isZero();
        assertThat(delivery.lastQueued()).isEqualTo(id(lastSent));

        delivery.offerLive(id(fits + 2), "m" + (fits + 2)); // held while history is read
        transport.releaseAll();
        List<ResumableDelivery.Frame> history = new ArrayList<>();
        for (long n = lastSent + 1; n <= fits + 1; n++) {
            history.add(frame(n));
        }
        delivery.replay(history);
        assertThat(delivery.goLive()).isTrue();
        delivery.offerLive(id(fits + 3), "m" + (fits + 3));

        List<String> expected = new ArrayList<>(List.of("hello"));
        for (long n = 1; n <= fits + 3; n++) {
            expected.add("m" + n);
        }
        assertThat(transport.sent).containsExactlyElementsOf(expected);
        assertThat(falls).hasSize(1);
    }

    @Test
    void noticesWaitingWhenAClientFallsBehindAreStillSentAheadOfTheHistory() {
        Transport transport = new Transport();
        transport.stalled = true;
        ResumableDelivery delivery = new ResumableDelivery(null, 3, transport, (d, after) -> { });
        for (long n = 1; n <= ResumableDelivery.WINDOW; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        delivery.offerLive(id(17), "m17");
        delivery.notice("snapshot");
        delivery.offerLive(id(18), "m18");
        delivery.offerLive(id(19), "m19"); // the fourth waiting: falls behind
        assertThat(delivery.waiting()).isEqualTo(1);
        transport.releaseAll();
        delivery.replay(List.of(frame(17), frame(18), frame(19)));
        delivery.goLive();
        assertThat(transport.sent).endsWith("m16", "snapshot", "m17", "m18", "m19");
    }

    @Test
    void tooManyLiveEntriesDuringAReplayMakeTheCatchUpReadOn() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(0), 3, transport, NOT_EXPECTED);
        for (long n = 1; n <= 4; n++) {
            delivery.offerLive(id(n), "m" + n); // the fourth cannot be held: all four are let go
        }
        delivery.offerLive(id(5), "m5");
        assertThat(delivery.waiting()).isZero();
        assertThat(delivery.goLive()).isFalse();
        delivery.offerLive(id(6), "m6"); // held again: the next read of history ends before it
        delivery.replay(List.of(frame(1), frame(2), frame(3), frame(4), frame(5)));
        assertThat(delivery.goLive()).isTrue();
        assertThat(transport.sent).containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
    }

    @Test
    void drainedCompletesOnceEverythingQueuedWasSent() {
        Transport transport = new Transport();
        transport.stalled = true;
        ResumableDelivery delivery = new ResumableDelivery(id(0), 100, transport, NOT_EXPECTED);
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
        ResumableDelivery delivery = new ResumableDelivery(id(1), 10, transport, NOT_EXPECTED);
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
                (message, done) -> {
                    calls.incrementAndGet();
                    done.accept(new IllegalStateException("closed"));
                }, NOT_EXPECTED);
        delivery.offerLive(id(1), "m1");
        delivery.offerLive(id(2), "m2");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aSenderThatThrowsEndsTheDeliveryToo() {
        AtomicInteger calls = new AtomicInteger();
        ResumableDelivery delivery = new ResumableDelivery(null, 10,
                (message, done) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("closed");
                }, NOT_EXPECTED);
        delivery.offerLive(id(1), "m1");
        delivery.offerLive(id(2), "m2");
        assertThat(calls).hasValue(1);
        assertThat(delivery.drained().toCompletableFuture()).isCompleted();
    }

    @Test
    void droppableMessagesGiveWayUnderPressureAndNeverDuringAReplay() {
        Transport transport = new Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(0), 40, transport, NOT_EXPECTED);
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
