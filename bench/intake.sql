-- pgbench (-M prepared, so :variables are bound parameters like the service's): the per-order work of
-- POST /order, i.e. the transaction of sql/order/reserve-stock.sql, insert-order.sql and insert-outbox.sql,
-- then mark-published.sql, on a random product of :vendor.
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
