-- POST /order without an Idempotency-Key, as one statement (one round trip, one commit): reserve the
-- stock, record the order and its outbox row. No row back means nothing was reserved (unknown product or
-- not enough stock) and nothing was written. With a key the three steps run in a transaction instead
-- (reserve-stock, insert-order, insert-outbox), because losing a key race must undo the reservation.
WITH reserved AS (
    UPDATE products
       SET reserved = reserved + :quantity
     WHERE vendor = :vendor AND product_id = :productId AND vendor_stock - reserved >= :quantity
    RETURNING price
), placed AS (
    INSERT INTO orders (order_id, vendor, product_id, quantity, client_name, client_price, unit_price,
                        idempotency_key, request_fingerprint, callback_url, response, trace_parent)
    SELECT CAST(:orderId AS uuid), CAST(:vendor AS text), CAST(:productId AS text), CAST(:quantity AS integer),
           CAST(:clientName AS text), CAST(:clientPrice AS numeric), price, NULL, CAST(:fingerprint AS text),
           CAST(:callbackUrl AS text),
           CAST(:response AS jsonb) || jsonb_build_object('unitPrice', price), CAST(:traceParent AS text)
      FROM reserved
    RETURNING order_id, unit_price
), queued AS (
    INSERT INTO outbox (order_id, payload, trace_parent)
    SELECT order_id, CAST(:payload AS jsonb), CAST(:traceParent AS text) FROM placed
    RETURNING id
)
SELECT p.unit_price, q.id AS outbox_id FROM placed p CROSS JOIN queued q
