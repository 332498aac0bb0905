-- Each vendor's last poll, for the dashboard, the sync-lag metric and operators.
CREATE TABLE vendor_status (
    vendor            text        PRIMARY KEY,
    url               text        NOT NULL,
    last_poll_at      timestamptz,
    last_success_at   timestamptz,
    last_products     integer,
    last_duration_ms  bigint,
    last_error        text,
    last_error_at     timestamptz,
    consecutive_errors integer    NOT NULL DEFAULT 0
);
