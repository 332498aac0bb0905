-- A cart's lines as orders, in the order the client sent them (orders_by_cart).
SELECT cart_line, order_id::text, status, vendor, product_id, quantity, unit_price::text, attempts, last_error, vendor_ref,
       (synced_at AT TIME ZONE 'UTC')::text AS synced_at, (failed_at AT TIME ZONE 'UTC')::text AS failed_at,
       (cancelled_at AT TIME ZONE 'UTC')::text AS cancelled_at
  FROM orders WHERE cart_id = :cartId
 ORDER BY cart_line
