-- From here on a row leaves the outbox once the broker has confirmed its message (sql/order/delete-published.sql);
-- the rows marked published before are no longer read by anything.
DELETE FROM outbox WHERE published_at IS NOT NULL;
