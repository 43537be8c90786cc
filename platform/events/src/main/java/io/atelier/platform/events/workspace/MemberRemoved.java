package io.atelier.platform.events.workspace;

import java.time.Instant;
import java.util.UUID;

/** Someone left a project: removed by an OWNER, or themself when {@code removedBy} equals {@code userId}. */
public record MemberRemoved(UUID projectId, UUID userId, UUID removedBy, Instant removedAt) implements WorkspaceEvent {

    public static final String TYPE = "workspace.member.removed";

    @Override
    public String eventType() {
        return TYPE;
    }
}
