-- waited_seconds (null unless the order has waited on an open breaker) on the database's clock, so the
-- waiting limit does not depend on this instance's clock; idle_seconds: since anything last touched it
-- (an order that waited long in the queue is marked alive as the lane takes it, see Lanes.hold).
SELECT vendor, product_id, quantity, status, EXTRACT(EPOCH FROM clock_timestamp() - waiting_since) AS waited_seconds,
       EXTRACT(EPOCH FROM clock_timestamp() - updated_at) AS idle_seconds
  FROM orders WHERE order_id = :orderId
