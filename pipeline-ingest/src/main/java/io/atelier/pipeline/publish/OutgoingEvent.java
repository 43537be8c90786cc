package io.atelier.pipeline.publish;

import java.time.Instant;

/**
 * One valid event for {@code events.raw}: its id ({@code ce_id}, {@code ce_subject}), type, occurrence time
 * ({@code ce_time}), record key (the user, else the event id) and canonical JSON.
 */
public record OutgoingEvent(String eventId, String eventType, Instant timestamp, String key, String json) {
}
