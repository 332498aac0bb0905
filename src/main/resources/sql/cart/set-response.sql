-- The cart's first answer, kept for a retry with its Idempotency-Key; known once the prices were read under lock.
UPDATE carts SET response = CAST(:response AS jsonb) WHERE cart_id = :cartId
