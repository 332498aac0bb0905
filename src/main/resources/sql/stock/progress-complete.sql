-- A poll read every page and queued its products: how many. Answers whether they are all applied already.
INSERT INTO poll_progress (vendor, fetched_at, queued)
VALUES (:vendor, CAST(:fetchedAt AS timestamptz), :queued)
ON CONFLICT (vendor, fetched_at) DO UPDATE SET queued = EXCLUDED.queued
RETURNING applied >= queued AS whole
