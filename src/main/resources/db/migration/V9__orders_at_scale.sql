-- Reads that stay fast with millions of orders (issue 14): listings newest first, with or without a
-- status, and the dashboard's rates over the last minutes, each an index range instead of a scan.
DROP INDEX orders_by_status;
CREATE INDEX orders_by_status_created ON orders (status, created_at DESC, order_id);
CREATE INDEX orders_by_created ON orders (created_at DESC, order_id);
CREATE INDEX orders_by_synced ON orders (synced_at) WHERE synced_at IS NOT NULL;
CREATE INDEX orders_by_failed ON orders (failed_at) WHERE failed_at IS NOT NULL;
