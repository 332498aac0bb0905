SELECT order_id, vendor, product_id, quantity, status, attempts, last_error, unit_price, client_name, client_price,
       created_at, updated_at, synced_at, failed_at
  FROM orders WHERE order_id = :orderId
