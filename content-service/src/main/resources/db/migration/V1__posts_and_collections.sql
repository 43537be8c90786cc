-- content-service: posts, collections and which posts each collection holds.
-- Times are microsecond timestamps written by the service's Clock (lists sort and page on them).

CREATE TABLE post (
    id          UUID        PRIMARY KEY,
    author_id   UUID        NOT NULL,
    title       TEXT        NOT NULL,
    body        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT      NOT NULL DEFAULT 0
);

-- Keyset pages, newest first: every post, and one author's.
CREATE INDEX post_newest ON post (created_at DESC, id DESC);
CREATE INDEX post_by_author ON post (author_id, created_at DESC, id DESC);

CREATE TABLE collection (
    id           UUID        PRIMARY KEY,
    owner_id     UUID        NOT NULL,
    name         TEXT        NOT NULL,
    description  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT      NOT NULL DEFAULT 0
);

CREATE INDEX collection_by_owner ON collection (owner_id, created_at DESC, id DESC);

-- A post is in a collection at most once; deleting either removes the membership.
CREATE TABLE collection_post (
    collection_id  UUID        NOT NULL REFERENCES collection (id) ON DELETE CASCADE,
    post_id        UUID        NOT NULL REFERENCES post (id) ON DELETE CASCADE,
    added_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (collection_id, post_id)
);

CREATE INDEX collection_post_newest ON collection_post (collection_id, added_at DESC, post_id DESC);
CREATE INDEX collection_post_by_post ON collection_post (post_id);
