-- workspace-service: projects and who belongs to them with which role.
-- Times are microsecond timestamps written by the service's Clock (lists sort and page on them).

CREATE TABLE project (
    id           UUID        PRIMARY KEY,
    name         TEXT        NOT NULL,
    description  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT      NOT NULL DEFAULT 0
);

-- Every change to a project's members locks the project's row first (so ">= 1 OWNER" holds under
-- concurrency); deleting the project removes its members with it.
CREATE TABLE member (
    project_id  UUID        NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    user_id     UUID        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('OWNER', 'COLLABORATOR', 'VIEWER')),
    joined_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, user_id)
);

-- Keyset pages: a user's projects, most recently joined first; a project's members, newest first.
CREATE INDEX member_by_user ON member (user_id, joined_at DESC, project_id DESC);
CREATE INDEX member_by_project ON member (project_id, joined_at DESC, user_id DESC);
