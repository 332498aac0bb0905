SELECT status FROM orders WHERE order_id = :orderId
