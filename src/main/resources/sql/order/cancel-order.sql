UPDATE orders
   SET status = 'CANCELLED', cancelled_at = now(), updated_at = now()
 WHERE order_id = :orderId AND (status IN ('PENDING', 'FAILED')) IS TRUE AND calls_unresolved = 0
