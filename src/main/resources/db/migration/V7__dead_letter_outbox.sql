-- A FAILED order's dead letter, written in the transaction that marks the order FAILED (issue 14): it is
-- published to sync_to_external_dlq after the commit and deleted once the broker confirmed it. What a
-- broker error or a crash in between left here is published by the dead-letter relay, so a FAILED order
-- always has its letter.
CREATE TABLE dead_letter_outbox (
    id         bigserial   PRIMARY KEY,
    order_id   uuid        NOT NULL,
    letter_id  text        NOT NULL,
    vendor     text,
    reason     text        NOT NULL,
    attempts   integer     NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now(),
    payload    text        NOT NULL
);
