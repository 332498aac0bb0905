INSERT INTO dead_letter_outbox (order_id, letter_id, vendor, reason, attempts, payload)
VALUES (:orderId, :letterId, :vendor, :reason, :attempts, :payload)
