UPDATE orders SET updated_at = now() WHERE order_id = :orderId
