-- Exact counts of the statuses an order leaves (PENDING) or that stay few (FAILED, CANCELLED): index-only scans.
-- PostgreSQL's own estimate of the table's rows (-1 before its first ANALYZE).
SELECT (SELECT count(*) FROM orders WHERE status = 'PENDING') AS pending,
       (SELECT count(*) FROM orders WHERE status = 'FAILED') AS failed,
       (SELECT count(*) FROM orders WHERE status = 'CANCELLED') AS cancelled,
       (SELECT reltuples::bigint FROM pg_class WHERE oid = 'orders'::regclass) AS estimated_rows
