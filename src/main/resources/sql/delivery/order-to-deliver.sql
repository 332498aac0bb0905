-- waited_seconds (null unless the order has waited on an open breaker) on the database's clock, so the
-- waiting limit does not depend on this instance's clock; idle_seconds: since anything last touched it
-- (an order that waited long in the queue is marked alive as the lane takes it, see Lanes.hold).
-- unit_price and the product's name are there for a vendor file's order body.
SELECT o.vendor, o.product_id, o.quantity, o.status, EXTRACT(EPOCH FROM clock_timestamp() - o.waiting_since) AS waited_seconds,
       EXTRACT(EPOCH FROM clock_timestamp() - o.updated_at) AS idle_seconds, o.unit_price, p.name
  FROM orders o LEFT JOIN products p ON p.vendor = o.vendor AND p.product_id = o.product_id
 WHERE o.order_id = :orderId
