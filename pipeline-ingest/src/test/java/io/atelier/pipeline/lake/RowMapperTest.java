package io.atelier.pipeline.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The mapper's own parts: instants on the fast path equal Instant.parse; unsafe types become safe folder names. */
class RowMapperTest {

    @Test
    void parsesInstantsAsInstantParseDoes() {
        for (String text : new String[] { "2026-12-07T10:00:00Z", "2026-12-07T10:00:00.1Z", "2024-02-29T23:59:59.123456789Z",
                "1970-01-01T00:00:00.000Z", "2026-12-07T10:00:00+02:00", "2026-12-07T10:00:00.5-01:30" }) {
            assertThat(RowMapper.parseInstant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        assertThatThrownBy(() -> RowMapper.parseInstant("2026-02-30T10:00:00Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> RowMapper.parseInstant("2026-12-07T25:00:00Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> RowMapper.parseInstant("yesterday")).isInstanceOf(DateTimeException.class);
    }

    @Test
    void typesBecomeSafeFolderNames() {
        assertThat(RowMapper.safeType("content.post.created")).isEqualTo("content.post.created");
        assertThat(RowMapper.safeType("page_view")).isEqualTo("page_view");
        assertThat(RowMapper.safeType("../etc/passwd")).isEqualTo("x.._etc_passwd");
        assertThat(RowMapper.safeType("a/b=c")).isEqualTo("xa_b_c");
        // The check without the regex agrees with the documented pattern.
        for (String type : List.of("a", "A-b_c.d", "9lives", "_x", ".x", "-x", "é", "aé", "a b", "a/b", "", "a".repeat(128),
                "a".repeat(129), "page_view\n", "jobs.job.status-changed")) {
            assertThat(RowMapper.safeType(type).equals(type)).as(type).isEqualTo(RowMapper.SAFE_TYPE.matcher(type).matches());
        }
    }
}
