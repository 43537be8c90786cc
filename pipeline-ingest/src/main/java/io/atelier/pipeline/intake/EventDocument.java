package io.atelier.pipeline.intake;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An event's shape, for the OpenAPI document only (the intake reads events as JSON trees and checks them against
 * the JSON Schemas under {@code events/schemas}). camelCase names are accepted too ({@code eventId}, ...).
 */
@Schema(name = "Event", description = "A product event; `data` is checked by the schema of its event_type and metadata.version")
record EventDocument(
        @Schema(format = "uuid", required = true) String event_id,
        @Schema(required = true, examples = "user_action") String event_type,
        @Schema(format = "date-time", required = true) String timestamp,
        @Schema(description = "With a bearer token: absent (filled in) or the caller's own id") String user_id,
        @Schema(required = true) Map<String, Object> data,
        @Schema(required = true, description = "{source, version}") Map<String, String> metadata) {
}
