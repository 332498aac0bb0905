-- One queued message of a poll applied (its products stored or dead-lettered): counted, unless a newer poll of
-- the vendor was applied already (then this poll's delisting is moot). Answers whether the poll is now whole.
INSERT INTO poll_progress (vendor, fetched_at, applied)
SELECT :vendor, CAST(:fetchedAt AS timestamptz), :count
 WHERE NOT EXISTS (SELECT 1 FROM vendor_status s
                    WHERE s.vendor = :vendor AND s.last_complete_fetch_at >= CAST(:fetchedAt AS timestamptz))
ON CONFLICT (vendor, fetched_at) DO UPDATE SET applied = poll_progress.applied + EXCLUDED.applied
RETURNING queued IS NOT NULL AND applied >= queued AS whole
