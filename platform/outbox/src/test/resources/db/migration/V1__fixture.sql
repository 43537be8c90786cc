CREATE TABLE note (
    id         UUID PRIMARY KEY,
    aggregate  TEXT NOT NULL,
    body       TEXT NOT NULL
);

-- What the fixture consumer applied: one row per applied event.
CREATE TABLE applied_note (
    event_id   TEXT NOT NULL,
    aggregate  TEXT NOT NULL,
    body       TEXT NOT NULL
);
