-- age_seconds on the database's clock, so the waiting limit does not depend on this instance's clock.
SELECT vendor, product_id, quantity, status, EXTRACT(EPOCH FROM clock_timestamp() - created_at) AS age_seconds
  FROM orders WHERE order_id = :orderId
