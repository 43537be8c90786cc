package io.atelier.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Plain JUnit: when a record is stored, held and retried, refused, or handed back at shutdown. */
class HoldingStoreTest {

    private final AtomicInteger retries = new AtomicInteger();
    private final HoldingStore holding = new HoldingStore("test consumer", Duration.ofMillis(1), retries::incrementAndGet);

    @Test
    void aRecordTheDatabaseTakesIsStoredAtOnce() {
        assertThat(holding.store("e1", () -> "done", e -> null)).isEqualTo(new HoldingStore.Outcome.Stored<>("done"));
        assertThat(retries).hasValue(0);
    }

    @Test
    void aRecordIsHeldAndRetriedInPlaceUntilTheDatabaseTakesIt() {
        AtomicInteger attempts = new AtomicInteger();
        HoldingStore.Outcome<Integer> outcome = holding.store("e2", () -> {
            if (attempts.incrementAndGet() < 4) {
                throw new SQLException("connection refused", "08001");
            }
            return attempts.get();
        }, e -> null);
        assertThat(outcome).isEqualTo(new HoldingStore.Outcome.Stored<>(4));
        assertThat(retries).hasValue(3);
    }

    @Test
    void valuesTheDatabaseRefusesForGoodAreRefusedNotRetried() {
        HoldingStore.Outcome<Object> outcome = holding.store("e3", () -> {
            throw new IllegalStateException(new SQLException("value too long", "22001"));
        }, e -> null);
        assertThat(outcome).isEqualTo(new HoldingStore.Outcome.Refused<>(new HoldingStore.Refusal("unstorable",
                "the database refuses its values for good (SQLSTATE 22001)")));
        assertThat(retries).hasValue(0);
    }

    @Test
    void theConsumerMayCallAFailureTheRecordsOwn() {
        HoldingStore.Refusal invalid = new HoldingStore.Refusal("invalid", "type: unknown");
        HoldingStore.Outcome<Object> outcome = holding.store("e4", () -> {
            throw new IllegalArgumentException("unknown type");
        }, e -> e instanceof IllegalArgumentException ? invalid : null);
        assertThat(outcome).isEqualTo(new HoldingStore.Outcome.Refused<>(invalid));
    }

    @Test
    void aHeldRecordIsHandedBackWhenTheApplicationStops() {
        holding.stop();
        SQLException down = new SQLException("connection refused", "08001");
        HoldingStore.Outcome<Object> outcome = holding.store("e5", () -> {
            throw down;
        }, e -> null);
        assertThat(outcome).isEqualTo(new HoldingStore.Outcome.Stopped<>(down));
        assertThat(retries).hasValue(1);
    }
}
