SELECT order_id, request_fingerprint, response::text AS response FROM orders WHERE idempotency_key = :idempotencyKey
