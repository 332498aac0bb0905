-- The vendor answered the call with a refusal (a status it does not accept) or was never reached (connection
-- refused): it does not hold the order from this call. A time-out is not this: the vendor may have it.
UPDATE orders SET calls_unresolved = GREATEST(calls_unresolved - 1, 0) WHERE order_id = :orderId
