INSERT INTO vendor_status (vendor, url, last_poll_at, last_error, last_error_at, consecutive_errors)
VALUES (:vendor, :url, now(), :error, now(), 1)
ON CONFLICT (vendor) DO UPDATE
   SET url = EXCLUDED.url, last_poll_at = now(), last_error = EXCLUDED.last_error, last_error_at = now(),
       consecutive_errors = vendor_status.consecutive_errors + 1
