-- platform/outbox: where each event comes from, so that its consumers' log lines and spans join the
-- request that recorded it. Captured by Outbox.publish, sent by the relay as CloudEvents extensions
-- (ce_requestid, ce_traceparent, ce_tracestate). Null for events recorded outside a request or trace.
-- Nullable columns without a default: adding them rewrites nothing.

ALTER TABLE atelier_outbox
    ADD COLUMN request_id  TEXT,
    ADD COLUMN traceparent TEXT,
    ADD COLUMN tracestate  TEXT;
