-- When a PENDING order first found its vendor's circuit breaker open: the waiting limit
-- (aggregator.delivery.max-wait-seconds) counts from here, not from created_at, so a backlog behind a rate
-- limit or a replayed old order is not failed untried (issue 23). A replay clears it.
ALTER TABLE orders ADD COLUMN waiting_since timestamptz;
