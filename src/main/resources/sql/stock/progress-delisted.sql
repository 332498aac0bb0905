-- The poll at :fetchedAt is the vendor's last applied one: later delistings compare with it, and its progress
-- rows (and any older poll's, never to be whole) go.
WITH forgotten AS (
    DELETE FROM poll_progress WHERE vendor = :vendor AND fetched_at <= CAST(:fetchedAt AS timestamptz)
)
UPDATE vendor_status
   SET last_complete_fetch_at = GREATEST(last_complete_fetch_at, CAST(:fetchedAt AS timestamptz))
 WHERE vendor = :vendor
