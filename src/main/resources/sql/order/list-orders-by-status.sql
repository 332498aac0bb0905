-- Newest first within one status: a walk down orders_by_status_created.
SELECT order_id::text, status, vendor, product_id, quantity, unit_price::text, attempts, last_error,
       (created_at AT TIME ZONE 'UTC')::text, (updated_at AT TIME ZONE 'UTC')::text,
       (synced_at AT TIME ZONE 'UTC')::text, (failed_at AT TIME ZONE 'UTC')::text, vendor_ref,
       (cancelled_at AT TIME ZONE 'UTC')::text AS cancelled_at,
       (SELECT pg_current_snapshot()::text) AS snapshot
  FROM orders
 WHERE status = :status
 ORDER BY orders.created_at DESC, orders.order_id  -- the uuid column, not the text of it the answer writes
 LIMIT :limit OFFSET :offset
