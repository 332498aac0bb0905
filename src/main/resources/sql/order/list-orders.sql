-- Newest first: a walk down orders_by_created, however many orders there are. Columns in the answer's order,
-- as the text it writes (OrderQueries), and the snapshot read under (SnapshotCache).
SELECT order_id::text, status, vendor, product_id, quantity, unit_price::text, attempts, last_error,
       (created_at AT TIME ZONE 'UTC')::text, (updated_at AT TIME ZONE 'UTC')::text,
       (synced_at AT TIME ZONE 'UTC')::text, (failed_at AT TIME ZONE 'UTC')::text, vendor_ref,
       (cancelled_at AT TIME ZONE 'UTC')::text AS cancelled_at,
       (SELECT pg_current_snapshot()::text) AS snapshot
  FROM orders
 ORDER BY orders.created_at DESC, orders.order_id  -- the uuid column, not the text of it the answer writes
 LIMIT :limit OFFSET :offset
