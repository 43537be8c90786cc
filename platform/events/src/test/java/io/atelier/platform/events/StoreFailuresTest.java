package io.atelier.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class StoreFailuresTest {

    @Test
    void valuesTheDatabaseRefusesAreTheEventsOwnFailure() {
        assertThat(StoreFailures.isPermanent(sql("22008"))).as("datetime field overflow").isTrue();
        assertThat(StoreFailures.isPermanent(sql("22021"))).as("character not in repertoire").isTrue();
        assertThat(StoreFailures.isPermanent(sql("23502"))).as("not null violation").isTrue();
    }

    @Test
    void theDatabasesStateIsRetried() {
        assertThat(StoreFailures.isPermanent(sql("08006"))).as("connection failure").isFalse();
        assertThat(StoreFailures.isPermanent(sql("40001"))).as("serialization failure").isFalse();
        assertThat(StoreFailures.isPermanent(sql("42501"))).as("insufficient privilege").isFalse();
        assertThat(StoreFailures.isPermanent(sql("42P01"))).as("undefined table").isFalse();
        assertThat(StoreFailures.isPermanent(sql("57P01"))).as("admin shutdown").isFalse();
        assertThat(StoreFailures.isPermanent(new SQLException("Sorry, acquisition timeout!"))).isFalse();
        assertThat(StoreFailures.isPermanent(new IllegalStateException("transaction timed out"))).isFalse();
    }

    @Test
    void aValueTheRecordLacksOrCannotHoldIsItsOwnFailure() {
        assertThat(StoreFailures.isPermanent(new NullPointerException("occurredAt"))).isTrue();
        assertThat(StoreFailures.isPermanent(new IllegalArgumentException("not a UUID"))).isTrue();
        assertThat(StoreFailures.isPermanent(new java.time.format.DateTimeParseException("no time", "x", 0))).isTrue();
        assertThat(StoreFailures.isPermanent(new IllegalStateException("wrapped", new NullPointerException("id")))).isTrue();
        // ...but a database failure found first decides: it may be the database's state.
        assertThat(StoreFailures.isPermanent(new SQLException("lost", "08003", new IllegalArgumentException()))).isFalse();
        assertThat(StoreFailures.isPermanent(new java.util.concurrent.CompletionException(
                new java.net.ConnectException("refused")))).isFalse();
    }

    @Test
    void looksThroughWrappers() {
        RuntimeException wrapped = new RuntimeException(new IllegalStateException("could not store user", sql("22001")));

        assertThat(StoreFailures.isPermanent(wrapped)).isTrue();
    }

    @Test
    void theFirstSqlStateFoundDecides() {
        SQLException connectionLost = new SQLException("lost", "08003", sql("22001"));

        assertThat(StoreFailures.isPermanent(connectionLost)).isFalse();
    }

    @Test
    void namesTheStateForTheLogAndNothingWithoutOne() {
        assertThat(StoreFailures.sqlState(new RuntimeException(sql("22008")))).isEqualTo("22008");
        assertThat(StoreFailures.sqlState(new IllegalStateException("no SQL here"))).isNull();
    }

    private static SQLException sql(String state) {
        return new SQLException("refused", state);
    }
}
