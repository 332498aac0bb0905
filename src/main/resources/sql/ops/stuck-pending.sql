-- Orders still PENDING long after anything touched them: their message may be lost.
SELECT o.order_id, o.vendor, o.product_id, o.quantity, o.updated_at
  FROM orders o
 WHERE o.status = 'PENDING' AND o.updated_at < now() - make_interval(secs => :thresholdSeconds)
   AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.order_id = o.order_id AND x.published_at IS NULL)
 ORDER BY o.updated_at
 LIMIT :batch
   FOR UPDATE OF o SKIP LOCKED
