package io.atelier.pipeline.lake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One row of the lake: one Kafka record (docs/pipeline.md, "Analytics lake", has the columns). {@code type} and the
 * day of {@code occurredAt} are the partition ({@code date=YYYY-MM-DD/type=<type>/}), not columns of the file.
 * The times are UTC microseconds since the epoch and the payload is its UTF-8 bytes, as DuckDB's appender takes them:
 * a row of the loader allocates no Instant and no String of its payload.
 */
public record LakeRow(String eventId, String topic, String type, long occurredMicros, long receivedMicros, String userId,
        String source, String subject, String displayName, byte[] payload, int partition, long offset) {

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** The same row from instants and a payload string (tests, tools). */
    public LakeRow(String eventId, String topic, String type, Instant occurredAt, Instant receivedAt, String userId,
            String source, String subject, String displayName, String payload, int partition, long offset) {
        this(eventId, topic, type, micros(occurredAt), micros(receivedAt), userId, source, subject, displayName,
                payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), partition, offset);
    }

    /** The UTC day of {@code occurred_at}, as days since the epoch (the {@code date} partition). */
    public int epochDay() {
        return (int) Math.floorDiv(occurredMicros, MICROS_PER_DAY);
    }

    public LocalDate day() {
        return LocalDate.ofEpochDay(epochDay());
    }

    public Instant occurredAt() {
        return instant(occurredMicros);
    }

    public Instant receivedAt() {
        return instant(receivedMicros);
    }

    public String payloadText() {
        return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
