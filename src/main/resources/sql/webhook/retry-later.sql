-- The receiver failed (no 2xx, time-out, refused): tried again after the backoff.
UPDATE webhook_outbox
   SET attempts = attempts + 1, last_status = :status, last_error = :error,
       next_attempt_at = now() + make_interval(secs => :delaySeconds)
 WHERE id = :id
