package io.atelier.pipeline.intake;

import java.util.List;

/** The batch's shape, for the OpenAPI document: {@code {events: [event, ...]}}. */
record EventBatch(List<EventDocument> events) {
}
