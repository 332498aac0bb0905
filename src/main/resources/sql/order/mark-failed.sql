UPDATE orders
   SET status = 'FAILED', attempts = attempts + :attempts, last_error = :reason, failed_at = now(), updated_at = now()
 WHERE order_id = :orderId AND status = 'PENDING'
RETURNING vendor, product_id, quantity
