-- A replayed dead letter: the FAILED order goes back to PENDING (its reservation is taken again separately).
UPDATE orders
   SET status = 'PENDING', last_error = NULL, failed_at = NULL, updated_at = now()
 WHERE order_id = :orderId AND status = 'FAILED'
RETURNING vendor, product_id, quantity, (SELECT payload::text FROM outbox WHERE order_id = :orderId ORDER BY id LIMIT 1) AS payload
