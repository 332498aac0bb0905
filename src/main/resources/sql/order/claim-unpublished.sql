-- Rows the fast path did not publish (broker down, crash after commit). SKIP LOCKED lets several
-- instances relay side by side without taking the same rows.
SELECT id, order_id, payload::text AS payload, payload->>'vendor' AS vendor, trace_parent
  FROM outbox
 WHERE published_at IS NULL AND created_at < now() - make_interval(secs => :graceSeconds)
 ORDER BY id
 LIMIT :batch
   FOR UPDATE SKIP LOCKED
