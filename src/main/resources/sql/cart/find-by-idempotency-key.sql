SELECT cart_id, request_fingerprint, response::text AS response FROM carts WHERE idempotency_key = :idempotencyKey
