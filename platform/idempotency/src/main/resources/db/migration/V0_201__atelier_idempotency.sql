-- platform/idempotency: the first successful answer to each Idempotency-Key, per caller and operation.
-- Written in the same transaction as the create it answers, so a key is either unused or bound to a
-- committed create and its answer; never half of it. Rows expire (IdempotencyJanitor).

CREATE TABLE atelier_idempotency (
    scope        TEXT        NOT NULL,
    idem_key     TEXT        NOT NULL,
    fingerprint  TEXT        NOT NULL,
    status       INT,
    body         TEXT,
    location     TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, idem_key)
);

CREATE INDEX atelier_idempotency_created_at ON atelier_idempotency (created_at);
