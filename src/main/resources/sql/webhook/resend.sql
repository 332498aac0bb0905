-- An operator's re-send: due now, with a new retry window. One event by its id (failed or still retrying),
-- or every failed one when :eventId is null.
UPDATE webhook_outbox
   SET failed_at = NULL, attempts = 0, retry_since = now(), next_attempt_at = now()
 WHERE (CAST(:eventId AS uuid) IS NULL AND failed_at IS NOT NULL) OR event_id = CAST(:eventId AS uuid)
RETURNING event_id::text
