package io.atelier.platform.events.workspace;

import java.time.Instant;
import java.util.UUID;

/** A member's role changed (only real changes: setting the same role records nothing). */
public record MemberRoleChanged(UUID projectId, UUID userId, String role, String previousRole, UUID changedBy,
        Instant changedAt) implements WorkspaceEvent {

    public static final String TYPE = "workspace.member.role-changed";

    @Override
    public String eventType() {
        return TYPE;
    }
}
