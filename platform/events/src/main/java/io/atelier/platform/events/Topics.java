package io.atelier.platform.events;

/** Kafka topic names: the only place they are spelled (docs/architecture.md, "Events"). */
public final class Topics {

    public static final String AUTH_USER_EVENTS = "auth.user-events";
    public static final String CONTENT_EVENTS = "content.events";
    public static final String WORKSPACE_EVENTS = "workspace.events";
    public static final String JOBS_REQUESTS = "jobs.requests";
    public static final String JOBS_STATUS = "jobs.status";
    public static final String JOBS_DEAD_LETTER = "jobs.dead-letter";
    public static final String EVENTS_RAW = "events.raw";
    public static final String EVENTS_INVALID = "events.invalid";
    /** events.raw after the Streams topology: duplicates removed, enriched (docs/pipeline.md). */
    public static final String EVENTS_ENRICHED = "events.enriched";

    private Topics() {
    }
}
