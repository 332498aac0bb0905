-- Newest first: a walk down orders_by_created, however many orders there are.
SELECT order_id, vendor, product_id, quantity, status, attempts, last_error, unit_price, client_name, client_price,
       created_at, updated_at, synced_at, failed_at
  FROM orders
 ORDER BY created_at DESC, order_id
 LIMIT :limit OFFSET :offset
