package io.atelier.platform.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.SharedRedis;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(SharedRedis.class)
class FeedTest {

    @Inject
    Feeds feeds;

    @Inject
    RedisDataSource redis;

    private Feed newFeed(long retained) {
        return feeds.feed("test-" + UUID.randomUUID(), retained, Duration.ofMinutes(5));
    }

    private static Map<String, String> fields(int n) {
        return Map.of("n", Integer.toString(n));
    }

    @Test
    void appendsInOrderAndReadsWhatCameAfter() {
        Feed feed = newFeed(100);
        List<FeedId> ids = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            ids.add(feed.append("e" + n, fields(n)).orElseThrow());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(feed.head()).isEqualTo(ids.get(4));

        History history = feed.readAfter(ids.get(1), 10);
        assertThat(history.complete()).isTrue();
        assertThat(history.entries()).extracting(FeedEntry::id).containsExactlyElementsOf(ids.subList(2, 5));
        assertThat(history.entries()).extracting(e -> e.field("n")).containsExactly("2", "3", "4");
        assertThat(feed.readAfter(ids.get(1), 2).entries()).hasSize(2);
        assertThat(feed.readAfter(ids.get(4), 10).entries()).isEmpty();
    }

    @Test
    void aRedeliveredEntryIsAppendedOnce() {
        Feed feed = newFeed(100);
        Optional<FeedId> first = feed.append("same-event", fields(1));
        Optional<FeedId> again = feed.append("same-event", fields(1));
        assertThat(first).isPresent();
        assertThat(again).isEmpty();
        assertThat(feed.readAfter(FeedId.ZERO, 10).entries()).hasSize(1);
    }

    @Test
    void retentionTrimsOldEntriesAndSaysSoToReadersThatMissedThem() {
        Feed feed = newFeed(10);
        List<FeedId> ids = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            ids.add(feed.append("e" + n, fields(n)).orElseThrow());
        }
        History fromStart = feed.readAfter(ids.get(0), 1000);
        assertThat(fromStart.complete()).isFalse();
        assertThat(fromStart.entries().size()).isBetween(10, 10 + 100); // trimmed in whole nodes of 100
        assertThat(fromStart.entries().getLast().id()).isEqualTo(ids.getLast());

        History recent = feed.readAfter(ids.get(394), 1000);
        assertThat(feed.readAfter(FeedId.ZERO, 1).complete()).isFalse();
        assertThat(recent.complete()).isTrue();
        assertThat(recent.entries()).extracting(FeedEntry::id).containsExactlyElementsOf(ids.subList(395, 400));
    }

    @Test
    void aLostStreamIsNotMistakenForAQuietOne() {
        Feed feed = newFeed(100);
        FeedId seen = feed.append("before", fields(1)).orElseThrow();
        redis.key().del(feed.key()); // what a Redis restart without persistence does

        assertThat(feed.readAfter(seen, 10).complete()).isFalse();
        FeedId next = feed.append("after", fields(2)).orElseThrow();
        History history = feed.readAfter(seen, 10);
        assertThat(history.complete()).isFalse();
        assertThat(history.entries()).extracting(FeedEntry::id).containsExactly(next);
        assertThat(feed.readAfter(next, 10).complete()).isTrue();
    }

    @Test
    void aTailHandsOverEveryNewEntryInOrder() {
        Feed feed = newFeed(100);
        feed.append("old", fields(0));
        List<String> seen = new CopyOnWriteArrayList<>();
        try (FeedTail tail = feeds.tail(feed, entry -> seen.add(entry.field("n")))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> tail.position() != null);
            for (int n = 1; n <= 50; n++) {
                feed.append("e" + n, fields(n));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 50);
            List<String> expected = new ArrayList<>();
            for (int n = 1; n <= 50; n++) {
                expected.add(Integer.toString(n));
            }
            assertThat(seen).containsExactlyElementsOf(expected);
        }
    }
}
