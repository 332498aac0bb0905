-- pgbench (-M prepared): all the SQL one order costs from POST to SYNCED, as the service runs it:
-- the intake transaction (reserve-stock, insert-order, insert-outbox), mark-published, the delivery's
-- find-order and the confirm-order statement. No HTTP, no broker, no vendor: PostgreSQL's own ceiling
-- for end-to-end orders on this machine.
\set pid random(1, :products)
SELECT gen_random_uuid()::text AS oid \gset
BEGIN;
UPDATE products SET reserved = reserved + 1
 WHERE vendor = :vendor AND product_id = CAST(:pid AS text) AND vendor_stock - reserved >= 1
RETURNING price;
INSERT INTO orders (order_id, vendor, product_id, quantity, client_name, client_price, unit_price,
                    idempotency_key, request_fingerprint, response)
VALUES (CAST(:oid AS uuid), :vendor, CAST(:pid AS text), 1, NULL, NULL, 1.00, NULL, 'pgbench', '{"status":"PENDING"}')
ON CONFLICT (idempotency_key) DO NOTHING;
INSERT INTO outbox (order_id, payload) VALUES (CAST(:oid AS uuid), '{}') RETURNING id;
END;
UPDATE outbox SET published_at = now() WHERE order_id = CAST(:oid AS uuid) AND published_at IS NULL;
SELECT order_id, vendor, product_id, quantity, status, attempts, last_error, unit_price, client_name, client_price,
       created_at, updated_at, synced_at, failed_at
  FROM orders WHERE order_id = CAST(:oid AS uuid);
WITH synced AS (
    UPDATE orders
       SET status = 'SYNCED', attempts = attempts + 1, last_error = NULL, synced_at = now(), updated_at = now()
     WHERE order_id = CAST(:oid AS uuid) AND status = 'PENDING'
    RETURNING vendor, product_id, quantity
)
UPDATE products p
   SET reserved = GREATEST(p.reserved - s.quantity, 0),
       vendor_stock = GREATEST(p.vendor_stock - s.quantity, 0),
       stock_confirmed_at = GREATEST(COALESCE(p.stock_confirmed_at, now()), now())
  FROM synced s
 WHERE p.vendor = s.vendor AND p.product_id = s.product_id
RETURNING p.vendor;
