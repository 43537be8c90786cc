package io.atelier.pipeline.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB writes a batch as hive-partitioned Parquet with the documented columns, and merges files without loss. */
class ParquetFilesTest {

    @TempDir
    Path dir;

    private static LakeRow row(String id, String type, String at, String user, long offset) {
        return new LakeRow(id, "events.enriched", type, Instant.parse(at), Instant.parse(at).plusSeconds(1), user, "web",
                id, user == null ? null : "Ada", "{\"page\":\"/home\"}", 0, offset);
    }

    @Test
    void writesOneFilePerDayAndTypeWithEveryRow() throws Exception {
        List<LakeRow> rows = List.of(row("a", "page_view", "2026-01-01T10:00:00Z", "u1", 1),
                row("b", "page_view", "2026-01-01T09:00:00Z", null, 2), row("c", "user_action", "2026-01-01T11:00:00Z", "u2", 3),
                row("d", "content.post.created", "2026-01-02T00:00:00Z", "u3", 4));
        try (ParquetFiles files = new ParquetFiles("256MB")) {
            List<ParquetFiles.Written> written = files.write(rows, dir.resolve("b1"), "b1");
            assertThat(written).extracting(w -> w.day() + "/" + w.type() + "/" + w.rows())
                    .containsExactlyInAnyOrder("2026-01-01/page_view/2", "2026-01-01/user_action/1",
                            "2026-01-02/content.post.created/1");
            assertThat(written).allSatisfy(w -> assertThat(w.file().getFileName().toString()).matches("b1_\\d+\\.parquet"));
            // Each file's rows per hour and topic, counted from the file: what the manifest keeps for counts series.
            assertThat(written).allSatisfy(w -> assertThat(w.hours().stream().mapToLong(Manifest.HourCount::rows).sum())
                    .isEqualTo(w.rows()));
            assertThat(written.stream().filter(w -> w.type().equals("page_view")).findFirst().orElseThrow().hours())
                    .extracting(h -> h.hour() + " " + h.topic() + " " + h.rows())
                    .containsExactly("2026-01-01T09:00 events.enriched 1", "2026-01-01T10:00 events.enriched 1");
            Path pageViews = written.stream().filter(w -> w.type().equals("page_view")).findFirst().orElseThrow().file();
            assertThat(dir.relativize(pageViews).toString()).startsWith("b1/date=2026-01-01/type=page_view/");

            try (Statement statement = files.connection().createStatement();
                    ResultSet result = statement.executeQuery("SELECT event_id, user_id, display_name, payload, "
                            + "CAST(occurred_at AS VARCHAR) FROM read_parquet('" + pageViews + "')")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).isEqualTo("b"); // sorted by time
                assertThat(result.getString(2)).isNull();
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).isEqualTo("a");
                assertThat(result.getString(3)).isEqualTo("Ada");
                assertThat(result.getString(4)).isEqualTo("{\"page\":\"/home\"}");
                assertThat(result.getString(5)).isEqualTo("2026-01-01 10:00:00");
            }
        }
    }

    @Test
    void theLoadersConnectionWritesWithTheThreadsItIsGiven() throws Exception {
        try (ParquetFiles files = new ParquetFiles("256MB", 1);
                Statement statement = files.connection().createStatement();
                ResultSet result = statement.executeQuery("SELECT current_setting('threads')")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getLong(1)).isEqualTo(1);
            // And it writes as the default connection does.
            assertThat(files.write(List.of(row("a", "page_view", "2026-01-01T10:00:00Z", "u1", 1)), dir.resolve("t1"), "t1"))
                    .extracting(ParquetFiles.Written::rows).containsExactly(1L);
        }
    }

    @Test
    void mergesFilesKeepingEveryRow() throws Exception {
        try (ParquetFiles files = new ParquetFiles("256MB")) {
            Path one = files.write(List.of(row("a", "t", "2026-01-01T10:00:00Z", "u", 1)), dir.resolve("x"), "x").get(0).file();
            Path two = files.write(List.of(row("b", "t", "2026-01-01T08:00:00Z", "u", 2),
                    row("c", "t", "2026-01-01T12:00:00Z", "u", 3)), dir.resolve("y"), "y").get(0).file();
            Files.createDirectories(dir.resolve("out"));
            ParquetFiles.Written merged = files.merge(List.of(one, two), dir.resolve("out/m.parquet"), one.getParent()
                    .getParent().getFileName().toString().length() > 0 ? java.time.LocalDate.parse("2026-01-01") : null, "t");
            assertThat(merged.rows()).isEqualTo(3);
            assertThat(files.rowCount(merged.file())).isEqualTo(3);
            assertThat(merged.hours()).extracting(h -> h.hour() + " " + h.topic() + " " + h.rows()).containsExactly(
                    "2026-01-01T08:00 events.enriched 1", "2026-01-01T10:00 events.enriched 1", "2026-01-01T12:00 events.enriched 1");
        }
    }
}
