-- Letters the delivery that failed the order did not get confirmed (broker error, crash). SKIP LOCKED lets
-- several instances relay side by side without taking the same rows.
SELECT d.id, d.order_id, d.letter_id, d.vendor, d.reason, d.attempts, d.failed_at, d.payload,
       (SELECT o.vendor_ref FROM orders o WHERE o.order_id = d.order_id) AS vendor_ref
  FROM dead_letter_outbox d
 WHERE d.failed_at < now() - make_interval(secs => :graceSeconds)
 ORDER BY d.id
 LIMIT :batch
   FOR UPDATE OF d SKIP LOCKED
