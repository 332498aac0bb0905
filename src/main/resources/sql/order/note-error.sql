-- A replay refused for want of stock says so on the FAILED order (only while it is FAILED).
UPDATE orders SET last_error = :reason, updated_at = now() WHERE order_id = :orderId AND (status = 'FAILED') IS TRUE
