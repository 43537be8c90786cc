package io.atelier.workspace.live;

/**
 * What the server sends on a project socket. Durable ones take the project's next sequence number and are
 * kept for clients that resume with {@code ?lastSeq=}; the others carry the sequence number of the last
 * durable message and are never replayed.
 */
enum MessageType {
    SNAPSHOT(false),
    USER_JOIN(true),
    USER_LEAVE(true),
    FILE_CHANGE(true),
    /** Sent to the others in the project only; dropped first when a client falls behind. */
    CURSOR_UPDATE(false),
    /** A member was removed: their sockets on every instance close with 4403. */
    MEMBER_REMOVED(true),
    /**
     * A job submitted with this project's id changed status (job-worker's {@code jobs.status}). Durable: a
     * job that finishes while a client reconnects (every token expiry) must not be missed.
     */
    JOB_STATUS(true),
    /** The project is gone: every socket of it closes with 4403. */
    PROJECT_DELETED(false);

    private final boolean durable;

    MessageType(boolean durable) {
        this.durable = durable;
    }

    boolean durable() {
        return durable;
    }
}
