INSERT INTO outbox (order_id, payload, trace_parent) VALUES (:orderId, CAST(:payload AS jsonb), CAST(:traceParent AS text)) RETURNING id
