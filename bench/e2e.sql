-- pgbench (-M prepared): all the SQL one order costs from POST to SYNCED, as the service runs it:
-- the intake statement (place-order.sql), delete-published, the delivery's
-- find-order and the confirm-order statement. No HTTP, no broker, no vendor: PostgreSQL's own ceiling
-- for end-to-end orders on this machine.
\set pid random(1, :products)
SELECT gen_random_uuid()::text AS oid \gset
WITH reserved AS (
    UPDATE products SET reserved = reserved + 1
     WHERE vendor = :vendor AND product_id = CAST(:pid AS text) AND vendor_stock - reserved >= 1
    RETURNING price
), placed AS (
    INSERT INTO orders (order_id, vendor, product_id, quantity, client_name, client_price, unit_price,
                        idempotency_key, request_fingerprint, response)
    SELECT CAST(:oid AS uuid), CAST(:vendor AS text), CAST(:pid AS text), 1, NULL, NULL, price, NULL, 'pgbench',
           CAST('{"status":"PENDING"}' AS jsonb) || jsonb_build_object('unitPrice', price)
      FROM reserved
    RETURNING order_id, unit_price
), queued AS (
    INSERT INTO outbox (order_id, payload) SELECT order_id, CAST('{}' AS jsonb) FROM placed RETURNING id
)
SELECT p.unit_price, q.id AS outbox_id FROM placed p CROSS JOIN queued q;
DELETE FROM outbox WHERE order_id = CAST(:oid AS uuid);
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
