package io.atelier.platform.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Plain JUnit: a catch-up over an in-memory backlog, for resuming clients and for clients that fell behind. */
class CatchUpTest {

    private static final String GAP = "gap";

    /** Entries 1..size, of which those below {@code oldestKept} were trimmed. */
    record ListBacklog(int size, int oldestKept, AtomicInteger reads) implements Backlog {

        ListBacklog(int size) {
            this(size, 1, new AtomicInteger());
        }

        @Override
        public Page readAfter(FeedId after, int limit) {
            reads.incrementAndGet();
            List<ResumableDelivery.Frame> frames = new ArrayList<>();
            long from = Math.max(after.sequence() + 1, oldestKept);
            for (long n = from; n <= size && frames.size() < limit; n++) {
                frames.add(new ResumableDelivery.Frame(id(n), "m" + n));
            }
            FeedId last = frames.isEmpty() ? null : frames.getLast().id();
            return new Page(frames, last, after.sequence() + 1 >= oldestKept);
        }
    }

    /** Records what ended a catch-up. */
    static final class Outcome implements CatchUp.Ends {
        final CompletableFuture<String> ended = new CompletableFuture<>();

        @Override
        public void tooSlow() {
            ended.complete("too slow");
        }

        @Override
        public void failed(Exception e) {
            ended.complete("failed: " + e.getMessage());
        }
    }

    private static FeedId id(long n) {
        return new FeedId(1000, n);
    }

    private static List<String> messages(long from, long to) {
        List<String> messages = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            messages.add("m" + n);
        }
        return messages;
    }

    @Test
    void aResumingClientGetsWhatItMissedPageByPageThenLiveEntries() {
        ResumableDeliveryTest.Transport transport = new ResumableDeliveryTest.Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(3), 100, transport, (d, after) -> { });
        ListBacklog backlog = new ListBacklog(25);
        Outcome outcome = new Outcome();
        delivery.offerLive(id(26), "m26"); // arrives during the catch-up, after what the backlog holds
        new CatchUp(10, Duration.ofSeconds(5), GAP).run(delivery, id(3), backlog, () -> true, outcome);
        delivery.offerLive(id(27), "m27");
        assertThat(transport.sent).containsExactlyElementsOf(messages(4, 27));
        assertThat(backlog.reads()).hasValue(4); // 4..13, 14..23, 24..25, then nothing
        assertThat(outcome.ended).isNotDone();
    }

    @Test
    void aClientResumingBehindWhatIsKeptIsToldBeforeTheRest() {
        ResumableDeliveryTest.Transport transport = new ResumableDeliveryTest.Transport();
        ResumableDelivery delivery = new ResumableDelivery(id(2), 100, transport, (d, after) -> { });
        new CatchUp(10, Duration.ofSeconds(5), GAP).run(delivery, id(2), new ListBacklog(8, 6, new AtomicInteger()),
                () -> true, new Outcome());
        assertThat(transport.sent).containsExactly(GAP, "m6", "m7", "m8");
    }

    @Test
    void aClientThatDoesNotTakeAPageInTimeIsTooSlow() throws Exception {
        ResumableDeliveryTest.Transport transport = new ResumableDeliveryTest.Transport();
        transport.stalled = true;
        ResumableDelivery delivery = new ResumableDelivery(id(0), 100, transport, (d, after) -> { });
        Outcome outcome = new Outcome();
        new CatchUp(50, Duration.ofMillis(200), GAP).start("test-catch-up", delivery, id(0), new ListBacklog(500),
                () -> true, outcome);
        assertThat(outcome.ended.get(10, TimeUnit.SECONDS)).isEqualTo("too slow");
        assertThat(transport.sent).hasSize(ResumableDelivery.WINDOW);
        assertThat(delivery.waiting()).isZero();
    }

    @Test
    void aBacklogThatCannotBeReadEndsTheCatchUp() {
        ResumableDelivery delivery = new ResumableDelivery(id(0), 100, new ResumableDeliveryTest.Transport(),
                (d, after) -> { });
        Outcome outcome = new Outcome();
        new CatchUp(10, Duration.ofSeconds(5), GAP).run(delivery, id(0), (after, limit) -> {
            throw new IllegalStateException("redis is away");
        }, () -> true, outcome);
        assertThat(outcome.ended).isCompletedWithValue("failed: redis is away");
    }

    /**
     * A burst many times the queue, to a client that reads slower than the burst arrives: it falls behind
     * again and again, and still gets every entry once, in order, without being closed.
     */
    @Test
    void aBurstLargerThanTheQueueReachesASlowClientWholeThroughHistory() throws Exception {
        ResumableDeliveryTest.Transport transport = new ResumableDeliveryTest.Transport();
        transport.stalled = true;
        int burst = 2_000;
        ListBacklog backlog = new ListBacklog(burst);
        Outcome outcome = new Outcome();
        CatchUp catchUp = new CatchUp(64, Duration.ofSeconds(10), GAP);
        List<FeedId> falls = new CopyOnWriteArrayList<>();
        ResumableDelivery delivery = new ResumableDelivery(null, 50, transport, (d, after) -> {
            falls.add(after);
            catchUp.start("test-catch-up", d, after, backlog, () -> true, outcome);
        });
        int beforeReading = ResumableDelivery.WINDOW + 50 + 1; // one more than fits: the first fall
        for (long n = 1; n <= beforeReading; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        assertThat(falls).hasSize(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            while (transport.sent.size() < burst && !outcome.ended.isDone()) {
                transport.releasePending();
                Thread.onSpinWait();
            }
        });
        for (long n = beforeReading + 1; n <= burst; n++) {
            delivery.offerLive(id(n), "m" + n);
        }
        assertThat(reader.join(Duration.ofSeconds(20))).isTrue();
        transport.releaseAll();
        assertThat(outcome.ended).isNotDone();
        assertThat(falls).isNotEmpty();
        assertThat(transport.sent).containsExactlyElementsOf(messages(1, burst));
    }
}
