package io.atelier.platform.security.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** Plain JUnit: the per-connection, per-second message allowance, with the clock moved by hand. */
class ClientMessageLimitTest {

    /** A clock that stands still until moved. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-30T10:00:00.000Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    ManualClock clock = new ManualClock();
    ClientMessageLimit limit = new ClientMessageLimit(clock, 3);

    @Test
    void refusesTheMessageOverTheAllowanceWithinOneSecond() {
        assertThat(limit.allow("a")).isTrue();
        assertThat(limit.allow("a")).isTrue();
        assertThat(limit.allow("a")).isTrue();
        assertThat(limit.allow("a")).isFalse();
    }

    @Test
    void theNextSecondStartsAFreshAllowance() {
        for (int i = 0; i < 4; i++) {
            limit.allow("a");
        }
        clock.now = clock.now.plusMillis(1000);
        assertThat(limit.allow("a")).isTrue();
    }

    @Test
    void connectionsAreCountedApart() {
        for (int i = 0; i < 3; i++) {
            limit.allow("a");
        }
        assertThat(limit.allow("a")).isFalse();
        assertThat(limit.allow("b")).isTrue();
    }

    @Test
    void aForgottenConnectionStartsAgain() {
        for (int i = 0; i < 4; i++) {
            limit.allow("a");
        }
        limit.forget("a");
        assertThat(limit.allow("a")).isTrue();
    }
}
