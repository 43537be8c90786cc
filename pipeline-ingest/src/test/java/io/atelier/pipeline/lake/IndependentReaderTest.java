package io.atelier.pipeline.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lake file as the loader writes it, read by Apache Parquet's own reader (parquet-hadoop, what Spark and Trino build
 * on), not by DuckDB: the documented columns with their physical and logical types, and the values.
 */
class IndependentReaderTest {

    @TempDir
    Path dir;

    @Test
    void apacheParquetReadsTheDocumentedSchemaAndValues() throws Exception {
        Instant at = Instant.parse("2026-03-04T05:06:07.123456Z");
        List<LakeRow> rows = List.of(
                new LakeRow("e1", "events.enriched", "page_view", at, at.plusSeconds(1), "u1", "web", "e1", "Ada",
                        "{\"page\":\"/home\"}", 2, 41),
                new LakeRow("e2", "events.enriched", "page_view", at.plusSeconds(5), at.plusSeconds(6), null, "web", "e2", null,
                        "{}", 0, 7));
        Path file;
        try (ParquetFiles files = new ParquetFiles("256MB")) {
            file = files.write(rows, dir.resolve("batch"), "b").get(0).file();
        }
        // A local file, no Hadoop file system (whose user lookup JDK 25 no longer supports).
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        List<Group> read = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            assertThat(schema.getFields()).extracting(f -> f.getName()).containsExactly("event_id", "topic", "occurred_at",
                    "received_at", "user_id", "source", "subject", "display_name", "payload", "kafka_partition", "kafka_offset");
            for (String text : List.of("event_id", "topic", "user_id", "source", "subject", "display_name", "payload")) {
                PrimitiveType column = schema.getType(text).asPrimitiveType();
                assertThat(column.getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.BINARY);
                assertThat(column.getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.stringType());
            }
            PrimitiveType occurred = schema.getType("occurred_at").asPrimitiveType();
            assertThat(occurred.getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.INT64);
            assertThat(occurred.getLogicalTypeAnnotation()).isEqualTo(
                    LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS));
            assertThat(schema.getType("kafka_partition").asPrimitiveType().getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.INT32);
            assertThat(schema.getType("kafka_offset").asPrimitiveType().getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.INT64);
            assertThat(reader.getRecordCount()).isEqualTo(2);
            assertThat(reader.getFooter().getBlocks().get(0).getColumns()).allSatisfy(chunk -> assertThat(chunk.getCodec())
                    .isEqualTo(org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD));
            MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
            for (PageReadStore rowGroup = reader.readNextRowGroup(); rowGroup != null; rowGroup = reader.readNextRowGroup()) {
                RecordReader<Group> records = columns.getRecordReader(rowGroup, new GroupRecordConverter(schema));
                for (long i = 0; i < rowGroup.getRowCount(); i++) {
                    read.add(records.read());
                }
            }
        }
        assertThat(read).hasSize(2);
        Group first = read.get(0);
        assertThat(first.getString("event_id", 0)).isEqualTo("e1");
        assertThat(first.getString("display_name", 0)).isEqualTo("Ada");
        assertThat(first.getString("payload", 0)).isEqualTo("{\"page\":\"/home\"}");
        assertThat(first.getLong("occurred_at", 0)).isEqualTo(at.getEpochSecond() * 1_000_000L + 123_456);
        assertThat(first.getInteger("kafka_partition", 0)).isEqualTo(2);
        assertThat(first.getLong("kafka_offset", 0)).isEqualTo(41);
        assertThat(read.get(1).getFieldRepetitionCount("user_id")).isZero(); // null
    }
}
