package io.atelier.platform.events.workspace;

import java.time.Instant;
import java.util.UUID;

/** A project and all its memberships are gone (no member events for them). */
public record ProjectDeleted(UUID projectId, UUID deletedBy, Instant deletedAt) implements WorkspaceEvent {

    public static final String TYPE = "workspace.project.deleted";

    @Override
    public String eventType() {
        return TYPE;
    }
}
