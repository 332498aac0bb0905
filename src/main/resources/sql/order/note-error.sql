UPDATE orders SET last_error = :reason, updated_at = now() WHERE order_id = :orderId
