-- Only a PENDING order moves: a redelivered message for a finished order changes nothing.
UPDATE orders
   SET status = 'SYNCED', attempts = attempts + :attempts, last_error = NULL, synced_at = now(), updated_at = now()
 WHERE order_id = :orderId AND status = 'PENDING'
RETURNING vendor, product_id, quantity
