-- platform/outbox: the transactional outbox and the consumers' dedupe log, created in the using
-- service's own schema. Migration versions below 1 (V0_x) are reserved for platform libraries.

CREATE TABLE atelier_outbox (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          UUID        NOT NULL UNIQUE,
    topic       TEXT        NOT NULL,
    event_key   TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    payload     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ
);

-- The relay reads only what is unsent, in commit order; the janitor deletes what was sent long ago.
CREATE INDEX atelier_outbox_unsent ON atelier_outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX atelier_outbox_sent_at ON atelier_outbox (sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE atelier_consumed_event (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    consumed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX atelier_consumed_event_at ON atelier_consumed_event (consumed_at);
