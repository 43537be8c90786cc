package io.atelier.pipeline.lake;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One row of the lake: one Kafka record (docs/pipeline.md, "Analytics lake", has the columns). {@code type} and the
 * day of {@code occurredAt} are the partition ({@code date=YYYY-MM-DD/type=<type>/}), not columns of the file.
 */
public record LakeRow(String eventId, String topic, String type, Instant occurredAt, Instant receivedAt, String userId,
        String source, String subject, String displayName, String payload, int partition, long offset) {

    public LocalDate day() {
        return LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
    }
}
