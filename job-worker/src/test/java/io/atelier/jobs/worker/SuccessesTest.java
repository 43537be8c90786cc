package io.atelier.jobs.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.atelier.jobs.store.JobRow;
import io.atelier.jobs.store.JobStore;
import io.atelier.jobs.store.JobStatus;

/** The grouping of successful attempts into transactions: plain JUnit, the database replaced by a recording writer. */
class SuccessesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
    private final List<List<UUID>> groups = new CopyOnWriteArrayList<>();
    private Successes successes;

    @AfterEach
    void stop() {
        if (successes != null) {
            successes.stop();
        }
        jobs.shutdownNow();
    }

    @Test
    void whatSucceedsWhileAGroupIsWrittenIsWrittenTogetherNext() throws Exception {
        CountDownLatch firstWriteMayEnd = new CountDownLatch(1);
        successes = start(100, group -> {
            groups.add(ids(group));
            if (groups.size() == 1) {
                awaitQuietly(firstWriteMayEnd);
            }
            return Set.copyOf(ids(group));
        });
        JobRow first = job();
        Future<Boolean> firstRecorded = jobs.submit(() -> successes.record(first, null));
        await().atMost(WAIT).until(() -> groups.size() == 1);

        List<JobRow> more = IntStream.range(0, 5).mapToObj(i -> job()).toList();
        List<Future<Boolean>> moreRecorded = more.stream().map(job -> jobs.submit(() -> successes.record(job, null))).toList();
        await().atMost(WAIT).until(() -> successes.waiting() == 5);
        assertThat(firstRecorded.isDone()).as("a success is not reported before its group is written").isFalse();
        firstWriteMayEnd.countDown();

        assertThat(firstRecorded.get(10, TimeUnit.SECONDS)).isTrue();
        for (Future<Boolean> recorded : moreRecorded) {
            assertThat(recorded.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsExactly(first.id());
        assertThat(groups.get(1)).containsExactlyInAnyOrderElementsOf(more.stream().map(JobRow::id).toList());
    }

    @Test
    void aGroupIsNeverLargerThanItsLimit() throws Exception {
        CountDownLatch firstWriteMayEnd = new CountDownLatch(1);
        successes = start(3, group -> {
            groups.add(ids(group));
            if (groups.size() == 1) {
                awaitQuietly(firstWriteMayEnd);
            }
            return Set.copyOf(ids(group));
        });
        Future<Boolean> first = jobs.submit(() -> successes.record(job(), null));
        await().atMost(WAIT).until(() -> groups.size() == 1);
        List<Future<Boolean>> more = IntStream.range(0, 7).mapToObj(i -> jobs.submit(() -> successes.record(job(), null))).toList();
        await().atMost(WAIT).until(() -> successes.waiting() == 7);
        firstWriteMayEnd.countDown();

        first.get(10, TimeUnit.SECONDS);
        for (Future<Boolean> recorded : more) {
            recorded.get(10, TimeUnit.SECONDS);
        }
        assertThat(groups).extracting(List::size).containsExactly(1, 3, 3, 1);
    }

    @Test
    void aJobAnotherWorkerTookOverIsReportedLostAndTheOthersRecorded() throws Exception {
        JobRow takenOver = job();
        successes = start(100, group -> ids(group).stream().filter(id -> !id.equals(takenOver.id()))
                .collect(Collectors.toSet()));
        JobRow mine = job();

        assertThat(successes.record(takenOver, null)).isFalse();
        assertThat(successes.record(mine, null)).isTrue();
    }

    @Test
    void whenAGroupFailsEachJobIsWrittenAloneSoOnlyTheRefusedOneFails() throws Exception {
        CountDownLatch firstWriteMayEnd = new CountDownLatch(1);
        JobRow refused = job();
        successes = start(100, group -> {
            groups.add(ids(group));
            if (groups.size() == 1) {
                awaitQuietly(firstWriteMayEnd);
            }
            if (ids(group).contains(refused.id())) {
                throw new IllegalStateException("the database refused a result");
            }
            return Set.copyOf(ids(group));
        });
        Future<Boolean> first = jobs.submit(() -> successes.record(job(), null));
        await().atMost(WAIT).until(() -> groups.size() == 1);
        JobRow fine = job();
        Future<Boolean> fineRecorded = jobs.submit(() -> successes.record(fine, JsonNodeFactory.instance.textNode("ok")));
        Future<Boolean> refusedRecorded = jobs.submit(() -> successes.record(refused, null));
        await().atMost(WAIT).until(() -> successes.waiting() == 2);
        firstWriteMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fineRecorded.get(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> refusedRecorded.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("the database refused a result");
        // The failed group of two, then each alone.
        assertThat(groups.get(1)).containsExactlyInAnyOrder(fine.id(), refused.id());
        assertThat(groups.subList(2, 4)).containsExactlyInAnyOrder(List.of(fine.id()), List.of(refused.id()));
    }

    @Test
    void resultsTravelWithTheirJobs() throws Exception {
        Map<UUID, JsonNode> written = new java.util.concurrent.ConcurrentHashMap<>();
        successes = start(100, group -> {
            group.forEach(success -> written.put(success.job().id(), success.result()));
            return Set.copyOf(ids(group));
        });
        JobRow job = job();

        successes.record(job, JsonNodeFactory.instance.numberNode(42));

        assertThat(written.get(job.id()).asInt()).isEqualTo(42);
    }

    private Successes start(int maxGroup, Successes.GroupWriter writer) {
        Successes started = new Successes(100, maxGroup, writer);
        started.start();
        return started;
    }

    private static List<UUID> ids(List<JobStore.Success> group) {
        return group.stream().map(success -> success.job().id()).toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JobRow job() {
        Instant now = Instant.now();
        return new JobRow(UUID.randomUUID(), UUID.randomUUID(), null, "noop", null, JobStatus.RUNNING, 0, now, 1, 3,
                null, List.of(), null, "me", now.plusSeconds(30), now, now, null);
    }
}
