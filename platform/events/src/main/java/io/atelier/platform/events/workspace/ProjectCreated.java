package io.atelier.platform.events.workspace;

import java.time.Instant;
import java.util.UUID;

/** A new project; its creator is its first OWNER (no separate member event). */
public record ProjectCreated(UUID projectId, UUID ownerId, String name, Instant createdAt) implements WorkspaceEvent {

    public static final String TYPE = "workspace.project.created";

    @Override
    public String eventType() {
        return TYPE;
    }
}
