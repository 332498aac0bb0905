-- The vendor answered 304: a successful poll that read nothing. Its products, their fetch time and the
-- last complete poll (which delisting compares with) stay as they are.
UPDATE vendor_status
   SET url = :url, last_poll_at = now(), last_success_at = now(), last_duration_ms = :durationMs, consecutive_errors = 0
 WHERE vendor = :vendor
