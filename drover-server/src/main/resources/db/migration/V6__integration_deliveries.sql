-- The outbox of the Integrations' webhooks: one row per event and system, written when the event is seen (once: the
-- unique key), delivered at least once, retried with capped backoff, kept with its outcome. A restart loses nothing.
CREATE TABLE integration_deliveries (
    id              bigserial   PRIMARY KEY,
    integration     text        NOT NULL,
    event           text        NOT NULL,
    subject         text        NOT NULL,
    dedup           text        NOT NULL,
    body            text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    -- A machineRemoved whose Machine's deletion Drover holds: when it lets go without an acknowledgement.
    hold_until      timestamptz,
    last_error      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (integration, event, dedup)
);
CREATE INDEX integration_deliveries_due ON integration_deliveries (next_attempt_at) WHERE state = 'pending';
