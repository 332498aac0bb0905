-- Every product of one queued message in one statement: the rows arrive as one JSON array (written by
-- ProductNormalizer.recordset, one product id at most once). Unique on (vendor, product_id); a fetch
-- older than the stored one never overwrites it (messages can arrive out of order across consumers and
-- redeliveries).
INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, source, fetched_at, updated_at)
SELECT r.vendor, r.product_id, r.name, r.price, r.stock, r.raw, r.source, r.fetched_at, now()
  FROM jsonb_to_recordset(CAST(:#${body} AS jsonb))
       AS r(vendor text, product_id text, name text, price numeric, stock integer, raw jsonb, source text,
            fetched_at timestamptz)
 -- Rows are locked in key order, whatever order the vendor listed them in: two overlapping messages
 -- then wait for each other instead of deadlocking (UpsertLockOrderIT).
 ORDER BY r.vendor, r.product_id
ON CONFLICT (vendor, product_id) DO UPDATE
   SET name = EXCLUDED.name,
       price = EXCLUDED.price,
       -- A fetch that started before our last confirmed order may predate it at the vendor: keep our
       -- number (already decremented by the confirm) until a later fetch arrives.
       vendor_stock = CASE WHEN products.stock_confirmed_at IS NULL OR EXCLUDED.fetched_at > products.stock_confirmed_at
                           THEN EXCLUDED.vendor_stock ELSE products.vendor_stock END,
       raw = EXCLUDED.raw,
       source = EXCLUDED.source,
       fetched_at = EXCLUDED.fetched_at,
       delisted_at = NULL, -- listed again
       updated_at = now()
 WHERE products.fetched_at <= EXCLUDED.fetched_at
