-- The fixture's own table: what its idempotent create makes.
CREATE TABLE thing (
    id     UUID PRIMARY KEY,
    owner  TEXT NOT NULL,
    name   TEXT NOT NULL
);
