-- One event about an order, for WEBHOOK_URL and the order's own callbackUrl (either may be absent; the same
-- URL twice gets one event), with the order as it is now in this transaction. Run inside the transaction
-- that changed the status (mark-failed, cancel), so the event commits with the change or not at all.
-- The payload's fields are GET /orders/{id}'s (OrderQueries.write); confirm-order.sql builds the same.
INSERT INTO webhook_outbox (event_type, order_id, url, payload)
SELECT CAST(:eventType AS text), o.order_id, t.url,
       jsonb_build_object('orderId', o.order_id::text, 'status', o.status, 'vendor', o.vendor, 'id', o.product_id,
                          'quantity', o.quantity, 'unitPrice', o.unit_price, 'attempts', o.attempts,
                          'lastError', o.last_error,
                          'createdAt', (o.created_at AT TIME ZONE 'UTC')::text, 'updatedAt', (o.updated_at AT TIME ZONE 'UTC')::text,
                          'syncedAt', (o.synced_at AT TIME ZONE 'UTC')::text, 'failedAt', (o.failed_at AT TIME ZONE 'UTC')::text,
                          'cancelledAt', (o.cancelled_at AT TIME ZONE 'UTC')::text, 'vendorRef', o.vendor_ref)
  FROM orders o
 CROSS JOIN LATERAL (SELECT DISTINCT u AS url FROM unnest(ARRAY[CAST(:webhookUrl AS text), o.callback_url]) u
                      WHERE u IS NOT NULL) t
 WHERE o.order_id = :orderId
