INSERT INTO vendor_status (vendor, url, last_poll_at, last_success_at, last_products, last_duration_ms, consecutive_errors,
                           last_complete_fetch_at, etag, last_modified)
VALUES (:vendor, :url, now(), now(), :products, :durationMs, 0, CAST(:fetchedAt AS timestamptz), :etag, :lastModified)
ON CONFLICT (vendor) DO UPDATE
   SET url = EXCLUDED.url, last_poll_at = now(), last_success_at = now(), last_products = EXCLUDED.last_products,
       last_duration_ms = EXCLUDED.last_duration_ms, consecutive_errors = 0,
       last_complete_fetch_at = EXCLUDED.last_complete_fetch_at, etag = EXCLUDED.etag,
       last_modified = EXCLUDED.last_modified
