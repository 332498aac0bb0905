-- Orders per minute over the last five minutes: three index ranges over those minutes only.
SELECT (SELECT count(*) FROM orders WHERE created_at > now() - interval '5 minutes') / 5.0 AS accepted_per_min,
       (SELECT count(*) FROM orders WHERE synced_at  > now() - interval '5 minutes') / 5.0 AS synced_per_min,
       (SELECT count(*) FROM orders WHERE failed_at  > now() - interval '5 minutes') / 5.0 AS failed_per_min
