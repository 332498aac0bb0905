-- Letters the delivery that failed the order did not get confirmed (broker error, crash). SKIP LOCKED lets
-- several instances relay side by side without taking the same rows.
SELECT id, order_id, letter_id, vendor, reason, attempts, failed_at, payload
  FROM dead_letter_outbox
 WHERE failed_at < now() - make_interval(secs => :graceSeconds)
 ORDER BY id
 LIMIT :batch
   FOR UPDATE SKIP LOCKED
