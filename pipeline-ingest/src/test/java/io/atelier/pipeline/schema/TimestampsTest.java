package io.atelier.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain JUnit: the hand-read timestamp gives what OffsetDateTime.parse gives, instant or exception. */
class TimestampsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-01T00:00:00Z", "2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.123456789Z",
            "2026-06-01T11:00:00+02:00", "2026-06-01T11:00:00.5-05:30", "1999-12-31T23:59:59-00:00",
            "2024-02-29T12:00:00+18:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"})
    void readsTheCommonShapesByHandAsTheParserDoes(String text) {
        assertThat(Timestamps.fast(text)).isNotNull().isEqualTo(OffsetDateTime.parse(text).toInstant());
        assertThat(Timestamps.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-01t00:00:00z", "2024-01-01T00:00Z", "2024-01-01T00:00:00+02:00:30",
            "+12024-01-01T00:00:00Z", "2024-01-01T00:00:00.Z"})
    void leavesOtherShapesToTheParser(String text) {
        assertThat(Timestamps.fast(text)).isNull();
        assertThat(Timestamps.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z", "2024-01-01T23:59:60Z", "2024-01-01T00:00:00+19:00",
            "2024-01-01T00:00:00+18:30", "2024-01-01T00:00:00+02:60",
            "2024-01-01T00:00:00.1234567891Z", "2024-01-01T00:00:00",
            "2024-01-01 00:00:00Z", "2024-1-01T00:00:00Z", "yesterday", "", "2024-01-01T00:00:00ZZ",
            "2024-01-01T00:00:00+0200", "２０２４-01-01T00:00:00Z"})
    void refusesWhatTheParserRefuses(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThat(Timestamps.fast(text)).isNull();
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void agreesWithTheParserOnRandomTimesAndOffsets() {
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 4, 18 * 4 + 1) * 900);
            String text = OffsetDateTime.ofInstant(instant, offset).toString();
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }
}
