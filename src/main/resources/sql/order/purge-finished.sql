-- Finished orders created before the retention window, oldest first, a batch at a time (orders_by_created).
-- Their Idempotency-Keys are forgotten with them: a retry with such a key after that is a new order.
DELETE FROM orders WHERE order_id IN (
    SELECT order_id FROM orders
     WHERE created_at < now() - make_interval(days => :days) AND status IN ('SYNCED', 'FAILED', 'CANCELLED')
     ORDER BY created_at
     LIMIT :batch)
