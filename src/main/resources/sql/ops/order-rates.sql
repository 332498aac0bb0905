-- Orders per minute over the last five minutes.
SELECT count(*) FILTER (WHERE created_at > now() - interval '5 minutes') / 5.0 AS accepted_per_min,
       count(*) FILTER (WHERE synced_at  > now() - interval '5 minutes') / 5.0 AS synced_per_min,
       count(*) FILTER (WHERE failed_at  > now() - interval '5 minutes') / 5.0 AS failed_per_min
  FROM orders
 WHERE created_at > now() - interval '1 day'
