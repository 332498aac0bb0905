-- Status webhooks (issue 26): an order may name its own receiver (POST /order's callbackUrl, checked against
-- WEBHOOK_ALLOWED_HOSTS), and every event to send waits in webhook_outbox, written in the transaction that
-- changed the order's status, until its receiver answered 2xx (the row is then deleted) or the retry window
-- ran out (failed_at set: kept, listed by the admin API, re-sent on request).
ALTER TABLE orders ADD COLUMN callback_url text;

CREATE TABLE webhook_outbox (
    id              bigserial   PRIMARY KEY,
    -- one event per receiver: each row its own id, which the receiver dedupes on (delivery is at least once)
    event_id        uuid        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    event_type      text        NOT NULL,
    order_id        uuid        NOT NULL,
    url             text        NOT NULL,
    -- the order as it was when the event happened, GET /orders/{id}'s fields: a later change (a replay, the
    -- retention's delete) does not rewrite what an event said
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- the retry window (aggregator.webhooks.max-age) counts from here; an admin re-send starts it again
    retry_since     timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status     integer,
    last_error      text,
    failed_at       timestamptz
);

CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE failed_at IS NULL;
CREATE INDEX webhook_outbox_failed ON webhook_outbox (failed_at, id) WHERE failed_at IS NOT NULL;
