-- Orders a lane holds (throttled, retrying, waiting) are alive: reconciliation re-sends only orders that
-- nobody holds (stuck-pending.sql). Rows touched recently are left alone, so a steady lane writes little.
UPDATE orders
   SET updated_at = now()
 WHERE order_id = ANY (:ids) AND (status = 'PENDING') IS TRUE
   AND updated_at < now() - make_interval(secs => :olderThanSeconds)
