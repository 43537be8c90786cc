package io.atelier.workspace.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Plain JUnit: at most one cursor move per interval, the newest one kept. */
class CursorThrottleTest {

    static final long MS = 1_000_000;
    CursorThrottle<String> throttle = new CursorThrottle<>(20); // one per 50 ms

    @Test
    void theFirstMoveGoesAtOnce() {
        assertThat(throttle.offer("a", 0).sendNow()).isEqualTo("a");
    }

    @Test
    void movesWithinTheIntervalAreCoalescedToTheNewest() {
        throttle.offer("a", 0);
        CursorThrottle.Decision<String> b = throttle.offer("b", 10 * MS);
        assertThat(b.sendNow()).isNull();
        assertThat(b.timerInMillis()).isEqualTo(40);
        CursorThrottle.Decision<String> c = throttle.offer("c", 20 * MS);
        assertThat(c.sendNow()).isNull();
        assertThat(c.timerInMillis()).as("one timer per interval").isEqualTo(-1);

        assertThat(throttle.due(50 * MS)).isEqualTo("c");
        assertThat(throttle.due(100 * MS)).isNull();
    }

    @Test
    void aMoveAfterTheIntervalGoesAtOnceAgain() {
        throttle.offer("a", 0);
        assertThat(throttle.offer("b", 50 * MS).sendNow()).isEqualTo("b");
        assertThat(throttle.offer("c", 99 * MS).sendNow()).isNull();
    }

    @Test
    void aThousandMovesInOneSecondBecomeAtMostTwentyOne() {
        int sent = 0;
        long timerDue = -1;
        for (int i = 0; i < 1000; i++) {
            long now = i * MS;
            if (timerDue >= 0 && now >= timerDue) {
                if (throttle.due(now) != null) {
                    sent++;
                }
                timerDue = -1;
            }
            CursorThrottle.Decision<String> decision = throttle.offer("m" + i, now);
            if (decision.sendNow() != null) {
                sent++;
            }
            if (decision.timerInMillis() >= 0) {
                timerDue = now + decision.timerInMillis() * MS;
            }
        }
        assertThat(sent).isBetween(19, 21);
    }
}
