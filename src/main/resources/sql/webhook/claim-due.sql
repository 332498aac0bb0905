-- Events due for an attempt, leased to this instance: next_attempt_at moves past the send's time-out, so no
-- other instance (SKIP LOCKED, and then the lease) takes them while they are in flight, and no transaction or
-- connection is held while a receiver answers. A crash mid-send leaves the lease to run out: sent again.
WITH due AS (
    SELECT id FROM webhook_outbox
     WHERE failed_at IS NULL AND next_attempt_at <= now()
     ORDER BY next_attempt_at, id
     LIMIT :batch
       FOR UPDATE SKIP LOCKED
)
UPDATE webhook_outbox w
   SET next_attempt_at = now() + make_interval(secs => :leaseSeconds)
  FROM due
 WHERE w.id = due.id
RETURNING w.id, w.event_id::text AS event_id, w.event_type, w.url, w.payload::text AS payload,
          w.created_at, w.attempts, EXTRACT(EPOCH FROM now() - w.retry_since)::float8 AS age_seconds
