package io.atelier.platform.events.workspace;

import java.time.Instant;
import java.util.UUID;

/** A project's name or description changed (the description itself is not carried). */
public record ProjectUpdated(UUID projectId, UUID updatedBy, String name, Instant updatedAt) implements WorkspaceEvent {

    public static final String TYPE = "workspace.project.updated";

    @Override
    public String eventType() {
        return TYPE;
    }
}
