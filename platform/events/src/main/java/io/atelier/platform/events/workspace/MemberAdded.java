package io.atelier.platform.events.workspace;

import java.time.Instant;
import java.util.UUID;

/** Someone joined a project, invited by an OWNER ({@code addedBy}). */
public record MemberAdded(UUID projectId, UUID userId, String role, UUID addedBy, Instant joinedAt)
        implements WorkspaceEvent {

    public static final String TYPE = "workspace.member.added";

    @Override
    public String eventType() {
        return TYPE;
    }
}
