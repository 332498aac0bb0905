-- A concurrent request with the same Idempotency-Key waits for ours and then inserts nothing.
INSERT INTO orders (order_id, vendor, product_id, quantity, client_name, client_price, unit_price,
                    idempotency_key, request_fingerprint, callback_url, response, trace_parent)
VALUES (:orderId, :vendor, :productId, :quantity, :clientName, :clientPrice, :unitPrice,
        :idempotencyKey, :fingerprint, CAST(:callbackUrl AS text), CAST(:response AS jsonb),
        CAST(:traceParent AS text))
ON CONFLICT (idempotency_key) DO NOTHING
