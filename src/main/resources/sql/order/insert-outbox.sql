INSERT INTO outbox (order_id, payload) VALUES (:orderId, CAST(:payload AS jsonb)) RETURNING id
