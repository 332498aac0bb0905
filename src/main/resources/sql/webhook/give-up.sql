-- The retry window ran out: kept as failed, for the dashboard and the admin API (re-send).
UPDATE webhook_outbox
   SET attempts = attempts + 1, last_status = :status, last_error = :error, failed_at = now()
 WHERE id = :id
