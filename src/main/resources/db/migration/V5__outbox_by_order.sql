-- Outbox rows by order: the foreign key's checks on order deletes, replays reading an order's payload,
-- and reconciliation's "nothing left in the outbox" test all look rows up by order_id.
CREATE INDEX outbox_by_order ON outbox (order_id);
