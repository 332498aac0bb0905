-- The vendor confirmed: in one statement (atomic, one round trip), the order becomes SYNCED and its
-- units leave the stock number; fetches that started before this moment no longer overwrite the stock
-- (see upsert-products.sql). A redelivered message for a SYNCED order matches no row and changes nothing.
-- A 2xx is the truth and wins over FAILED: another copy of the order's message (a relay after a slow fast
-- path, a reconciliation re-send, a replay) may have failed first and released the reservation; the vendor
-- holds the order all the same, so it becomes SYNCED and only vendor_stock moves (reserved already did).
-- The order row is locked first (prior), then the product: the same lock order as intake and mark-failed.
-- "(status = …) IS TRUE" keeps the lookup on the primary key: as a plain condition, statistics taken
-- while no order had that status made PostgreSQL scan the status index instead, every such order per call
-- (OrderPlansIT).
WITH prior AS (
    SELECT order_id, status FROM orders
     WHERE order_id = :orderId AND (status IN ('PENDING', 'FAILED')) IS TRUE
       FOR UPDATE
), synced AS (
    UPDATE orders o
       SET status = 'SYNCED', attempts = o.attempts + :attempts, last_error = NULL, synced_at = now(),
           vendor_ref = COALESCE(CAST(:vendorRef AS text), o.vendor_ref),
           failed_at = NULL, updated_at = now()
      FROM prior
     WHERE o.order_id = prior.order_id
    RETURNING o.vendor, o.product_id, o.quantity, prior.status AS was, o.order_id, o.status, o.unit_price, o.attempts,
              o.last_error, o.created_at, o.updated_at, o.synced_at, o.failed_at, o.cancelled_at, o.vendor_ref, o.callback_url
), notified AS (
    -- the order.synced event, in this statement's transaction (sql/webhook/enqueue-event.sql explains; the
    -- order's fields from RETURNING: a CTE does not see its siblings' updates)
    INSERT INTO webhook_outbox (event_type, order_id, url, payload)
    SELECT 'order.synced', s.order_id, t.url,
           jsonb_build_object('orderId', s.order_id::text, 'status', s.status, 'vendor', s.vendor, 'id', s.product_id,
                              'quantity', s.quantity, 'unitPrice', s.unit_price, 'attempts', s.attempts,
                              'lastError', s.last_error,
                              'createdAt', (s.created_at AT TIME ZONE 'UTC')::text, 'updatedAt', (s.updated_at AT TIME ZONE 'UTC')::text,
                              'syncedAt', (s.synced_at AT TIME ZONE 'UTC')::text, 'failedAt', (s.failed_at AT TIME ZONE 'UTC')::text,
                              'cancelledAt', (s.cancelled_at AT TIME ZONE 'UTC')::text, 'vendorRef', s.vendor_ref)
      FROM synced s
     CROSS JOIN LATERAL (SELECT DISTINCT u AS url FROM unnest(ARRAY[CAST(:webhookUrl AS text), s.callback_url]) u
                          WHERE u IS NOT NULL) t
)
UPDATE products p
   SET reserved = CASE WHEN s.was = 'PENDING' THEN GREATEST(p.reserved - s.quantity, 0) ELSE p.reserved END,
       vendor_stock = GREATEST(p.vendor_stock - s.quantity, 0),
       -- the database's clock, as the poll's fetch time is (CatalogReader): one clock for both
       stock_confirmed_at = GREATEST(COALESCE(p.stock_confirmed_at, clock_timestamp()), clock_timestamp())
  FROM synced s
 WHERE p.vendor = s.vendor AND p.product_id = s.product_id
RETURNING p.vendor, s.was
