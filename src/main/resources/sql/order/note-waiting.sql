-- An order waits for its vendor's breaker: why, and since when (the waiting limit's clock, which a replay
-- clears). Only while PENDING: a copy still waiting must not stamp "waiting" on an order another copy
-- already SYNCED or FAILED (issue 23).
UPDATE orders
   SET last_error = :reason, updated_at = now(), waiting_since = COALESCE(waiting_since, now())
 WHERE order_id = :orderId AND (status = 'PENDING') IS TRUE
