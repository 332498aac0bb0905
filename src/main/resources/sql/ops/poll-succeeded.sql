-- A complete poll: every page read and queued. Its validators (first page's ETag / Last-Modified) are kept with
-- what they were answered for (validator_key: the URL, credentials and reading) and its page count: the next
-- poll asks conditionally only for the same key and a one-page catalogue. Delisting waits for its products to
-- be applied (PollProgress), which sets last_complete_fetch_at.
INSERT INTO vendor_status (vendor, url, last_poll_at, last_success_at, last_products, last_duration_ms, consecutive_errors,
                           etag, last_modified, validator_key, last_pages)
VALUES (:vendor, :url, now(), now(), :products, :durationMs, 0, :etag, :lastModified, :validatorKey, :pages)
ON CONFLICT (vendor) DO UPDATE
   SET url = EXCLUDED.url, last_poll_at = now(), last_success_at = now(), last_products = EXCLUDED.last_products,
       last_duration_ms = EXCLUDED.last_duration_ms, consecutive_errors = 0, etag = EXCLUDED.etag,
       last_modified = EXCLUDED.last_modified, validator_key = EXCLUDED.validator_key, last_pages = EXCLUDED.last_pages
