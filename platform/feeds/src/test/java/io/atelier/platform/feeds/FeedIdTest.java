package io.atelier.platform.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeedIdTest {

    @Test
    void ordersByMillisThenSequence() {
        assertThat(FeedId.parse("10-5")).isGreaterThan(FeedId.parse("9-99")).isLessThan(FeedId.parse("10-6"));
        assertThat(FeedId.parse("1700000000000-0").isAfter(FeedId.ZERO)).isTrue();
    }

    @Test
    void printsWhatItParses() {
        assertThat(FeedId.parse("1700000000000-12")).hasToString("1700000000000-12");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1", "1-", "-1", "a-1", "1-1-1", " 1-1", "1-1\n", "99999999999999999999-1",
            "9999999999999999999-0" })
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> FeedId.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> FeedId.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
