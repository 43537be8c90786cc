package io.atelier.content.post;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Plain JUnit: when the kept first page is used, and when it must not be. */
class NewestPostsTest {

    private final NewestPosts newest = new NewestPosts();
    private final AtomicInteger reads = new AtomicInteger();

    private byte[] read() {
        return ("read-" + reads.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPageIsReadOnceWhileNothingChanges() {
        byte[] first = newest.firstPage(20, this::read);
        assertThat(newest.firstPage(20, this::read)).isSameAs(first);
        newest.firstPage(10, this::read); // another limit, another page
        assertThat(reads).hasValue(2);
    }

    @Test
    void aChangeDropsWhatWasKept() {
        newest.firstPage(20, this::read);
        newest.changed();
        assertThat(new String(newest.firstPage(20, this::read), StandardCharsets.UTF_8)).isEqualTo("read-2");
    }

    @Test
    void aPageReadWhileAChangeHappenedIsNotKept() {
        newest.firstPage(20, () -> {
            newest.changed(); // the change commits while this read runs: its result may predate it
            return read();
        });
        newest.firstPage(20, this::read);
        assertThat(reads).hasValue(2);
    }
}
