-- First in the cart's transaction, before any product is locked: a concurrent request with the same
-- Idempotency-Key waits here for ours (holding nothing), then inserts nothing and replays our answer.
INSERT INTO carts (cart_id, idempotency_key, request_fingerprint, response)
VALUES (:cartId, :idempotencyKey, :fingerprint, CAST(:response AS jsonb))
ON CONFLICT (idempotency_key) DO NOTHING
