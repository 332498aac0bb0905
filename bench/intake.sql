-- pgbench (-M prepared, so :variables are bound parameters like the service's): the per-order work of
-- POST /order without an Idempotency-Key, i.e. sql/order/place-order.sql (reservation, order row and
-- outbox row in one statement), then delete-published.sql, on a random product of :vendor.
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
