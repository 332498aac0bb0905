SELECT event_id::text AS event_id, event_type, order_id::text AS order_id, url, attempts, last_status, last_error,
       created_at, failed_at
  FROM webhook_outbox
 WHERE failed_at IS NOT NULL
 ORDER BY failed_at, id
 LIMIT :limit
