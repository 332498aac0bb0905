-- Delisting from what was upserted, not from what was polled (issue 25): each poll's products are counted as
-- its queued messages are applied; once all of a complete poll's products are (stored or dead-lettered), the
-- vendor's products older than that poll are delisted at once, whatever the next poll answers (a 304 too).
CREATE TABLE poll_progress (
    vendor      text        NOT NULL,
    fetched_at  timestamptz NOT NULL,
    queued      integer,                    -- set when the poll completes (every page read and queued)
    applied     integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (vendor, fetched_at)
);
-- Validators belong to what they were answered for: the URL, the credentials and the reading (a hash of them),
-- and only to a poll of one page (a page's ETag says nothing about the next page).
ALTER TABLE vendor_status ADD COLUMN validator_key text, ADD COLUMN last_pages integer;
