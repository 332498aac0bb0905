-- Orders and their outbox (issue 3).

-- When our last confirmed order for a product was answered by its vendor. A vendor fetch that started
-- before that moment may not include the order, so its stock number is not applied (DESIGN.md).
ALTER TABLE products ADD COLUMN stock_confirmed_at timestamptz;

CREATE TABLE orders (
    order_id            uuid        PRIMARY KEY,
    vendor              text        NOT NULL,
    product_id          text        NOT NULL,
    quantity            integer     NOT NULL CHECK (quantity > 0),
    client_name         text,
    client_price        numeric(14, 2),
    unit_price          numeric(14, 2) NOT NULL,
    status              text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SYNCED', 'FAILED')),
    attempts            integer     NOT NULL DEFAULT 0,
    last_error          text,
    idempotency_key     text        UNIQUE,
    request_fingerprint text        NOT NULL,
    response            jsonb       NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    synced_at           timestamptz,
    failed_at           timestamptz,
    FOREIGN KEY (vendor, product_id) REFERENCES products (vendor, product_id)
);

CREATE INDEX orders_by_status ON orders (status, created_at);

-- Written in the order's transaction; relayed to sync_to_external with publisher confirms.
CREATE TABLE outbox (
    id           bigserial   PRIMARY KEY,
    order_id     uuid        NOT NULL REFERENCES orders (order_id),
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
