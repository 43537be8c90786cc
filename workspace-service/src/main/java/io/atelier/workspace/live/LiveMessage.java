package io.atelier.workspace.live;

import java.util.UUID;

import io.atelier.platform.feeds.FeedId;

/**
 * A message of a project's channel as every instance passes it on: who it concerns and its frame, rendered
 * once. {@code subject} is the member a MEMBER_REMOVED removes (else null); {@code from} the connection a
 * cursor move came from (else null), which is not sent its own move back.
 */
record LiveMessage(UUID projectId, long seq, MessageType type, UUID userId, UUID subject, String from,
        String frame) {

    /** Its place in a connection's delivery (sequence numbers as feed ids; transient messages have none). */
    FeedId position() {
        return new FeedId(seq, 0);
    }
}
