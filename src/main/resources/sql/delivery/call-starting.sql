-- Just before the vendor call goes out (after the rate limit's and the breaker's waits, which may be long):
-- the order is still PENDING, so the call may go, and from now on a cancel is refused until the vendor has
-- answered (call-refused.sql) or the order is finished. No row: it was cancelled (or finished by another
-- copy) since the lane read it; the call does not go out. The row lock orders this against a cancel.
UPDATE orders SET calls_unresolved = calls_unresolved + 1
 WHERE order_id = :orderId AND (status = 'PENDING') IS TRUE
RETURNING calls_unresolved
