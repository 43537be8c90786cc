-- workspace-service, the live workspace: each project's numbered log of the messages a client must not
-- miss (joins, leaves, file changes, removals), kept for clients that resume with ?lastSeq=, and the
-- files changed most recently. Cursor moves are never stored.

-- The last sequence number handed out per project; the row lock orders concurrent appends.
CREATE TABLE project_sequence (
    project_id  UUID    PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    last_seq    BIGINT  NOT NULL
);

-- frame: the message exactly as clients are sent it (rendered once, at append).
CREATE TABLE project_message (
    project_id       UUID        NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    seq              BIGINT      NOT NULL,
    type             TEXT        NOT NULL,
    user_id          UUID        NOT NULL,
    subject_user_id  UUID,
    at               TIMESTAMPTZ NOT NULL,
    frame            TEXT        NOT NULL,
    PRIMARY KEY (project_id, seq)
);

CREATE TABLE project_file (
    project_id  UUID        NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    path        TEXT        NOT NULL,
    changed_by  UUID        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, path)
);

CREATE INDEX project_file_recent ON project_file (project_id, changed_at DESC);
