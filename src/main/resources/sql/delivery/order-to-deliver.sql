-- waited_seconds (null unless the order has waited on an open breaker) on the database's clock, so the
-- waiting limit does not depend on this instance's clock.
SELECT vendor, product_id, quantity, status, EXTRACT(EPOCH FROM clock_timestamp() - waiting_since) AS waited_seconds
  FROM orders WHERE order_id = :orderId
