SELECT order_id::text, status, vendor, product_id, quantity, unit_price::text, attempts, last_error,
       (created_at AT TIME ZONE 'UTC')::text, (updated_at AT TIME ZONE 'UTC')::text,
       (synced_at AT TIME ZONE 'UTC')::text, (failed_at AT TIME ZONE 'UTC')::text, vendor_ref,
       (cancelled_at AT TIME ZONE 'UTC')::text AS cancelled_at
  FROM orders WHERE order_id = :orderId
