package io.atelier.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain JUnit: cursors and page parameters, and the 400s that bad ones give. */
class PagingTest {

    @Test
    void aCursorSurvivesItsTextFormToTheMicrosecond() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-11-30T10:15:30.123456789Z"), UUID.randomUUID());
        PageCursor back = PageCursor.decode(cursor.encode());
        assertThat(back).isEqualTo(cursor);
        assertThat(back.at()).isEqualTo(Instant.parse("2026-11-30T10:15:30.123456Z"));
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void noCursorIsTheFirstPage() {
        assertThat(PageCursor.decode(null)).isNull();
        assertThat(PageCursor.decode("")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "garbage!", "bm90IGEgY3Vyc29y", "MTox", "%%%", "MjoxOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA" })
    void aForeignCursorIsA400NamingIt(String text) {
        assertThatThrownBy(() -> PageCursor.decode(text)).isInstanceOfSatisfying(InvalidParameter.class,
                e -> assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("cursor"));
    }

    @Test
    void aCursorWithAnOutlandishTimeIsA400() {
        for (String micros : new String[] { "999999999999999999", "-999999999999999999", "-1" }) {
            String text = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("1:" + micros + ":" + UUID.randomUUID()).getBytes());
            assertThatThrownBy(() -> PageCursor.decode(text)).isInstanceOf(InvalidParameter.class);
        }
        assertThatThrownBy(() -> PageCursor.decode("A".repeat(500))).isInstanceOf(InvalidParameter.class);
    }

    @Test
    void limitsDefaultAndStayInRange() {
        assertThat(QueryParams.limit(null, 20, 100)).isEqualTo(20);
        assertThat(QueryParams.limit("1", 20, 100)).isEqualTo(1);
        assertThat(QueryParams.limit("100", 20, 100)).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "101", "-1", "1.5", "abc", " 5", "99999999999", "1e2" })
    void aBadLimitIsA400NamingIt(String raw) {
        assertThatThrownBy(() -> QueryParams.limit(raw, 20, 100)).isInstanceOfSatisfying(InvalidParameter.class,
                e -> assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("limit"));
    }

    @Test
    void idsAreStrictUuids() {
        UUID id = UUID.randomUUID();
        assertThat(QueryParams.uuid("authorId", id.toString())).isEqualTo(id);
        assertThat(QueryParams.uuid("authorId", null)).isNull();
        for (String bad : new String[] { "1-2-3-4-5", "not-a-uuid", id + "0", "00000000000-0000-0000-0000-00000000000" }) {
            assertThatThrownBy(() -> QueryParams.uuid("authorId", bad)).isInstanceOf(InvalidParameter.class);
        }
    }
}
