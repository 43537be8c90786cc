-- platform/users: the local replica of auth-service's users, created in the using service's own schema
-- and fed by auth.user-events. Platform migration versions: platform/outbox owns 0.1-0.99,
-- platform/users 0.101-0.199. Services join this table by id in their own SQL: keep the names.

CREATE TABLE atelier_user (
    id            UUID        PRIMARY KEY,
    email         TEXT        NOT NULL,
    display_name  TEXT        NOT NULL,
    -- the time of the state this row holds (the event's createdAt/updatedAt): an older event never overwrites it
    updated_at    TIMESTAMPTZ NOT NULL
);

-- Lookup by email (stored trimmed and lower-cased). Not unique: events of two users travel in
-- different partitions, so a moved email can sit on two rows for a moment.
CREATE INDEX atelier_user_email ON atelier_user (email);
