-- auth-service: accounts and refresh-token families. Outbox tables come from platform (V0_1).

CREATE TABLE app_user (
    id             UUID        PRIMARY KEY,
    email          TEXT        NOT NULL,
    display_name   TEXT        NOT NULL,
    password_hash  TEXT,                      -- null for accounts that only sign in with Google
    google_subject TEXT,
    email_verified BOOLEAN     NOT NULL DEFAULT false,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT app_user_email_key UNIQUE (email),
    CONSTRAINT app_user_google_subject_key UNIQUE (google_subject)
);

-- One family per sign-in; revoking it ends every refresh token that descends from that sign-in.
CREATE TABLE token_family (
    id            UUID        PRIMARY KEY,
    user_id       UUID        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    revoke_reason TEXT
);
CREATE INDEX token_family_user ON token_family (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens are stored only as SHA-256 hashes. A rotated token keeps, for the grace window,
-- its successor encrypted, so that a parallel refresh gets the same pair instead of a reuse alarm.
CREATE TABLE refresh_token (
    id                UUID        PRIMARY KEY,
    family_id         UUID        NOT NULL REFERENCES token_family (id) ON DELETE CASCADE,
    token_hash        BYTEA       NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    rotated_at        TIMESTAMPTZ,
    successor_id      UUID,
    successor_sealed  BYTEA,
    CONSTRAINT refresh_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_token_expires ON refresh_token (expires_at);
