-- "(status = …) IS TRUE" keeps the lookup on the primary key: as a plain condition, statistics taken
-- while no order had that status made PostgreSQL scan the status index instead, every such order per call
-- (OrderPlansIT).
UPDATE orders
   SET status = 'FAILED', attempts = attempts + :attempts, last_error = :reason, failed_at = now(), updated_at = now(),
       vendor_ref = COALESCE(CAST(:vendorRef AS text), vendor_ref)
 WHERE order_id = :orderId AND (status = 'PENDING') IS TRUE
RETURNING vendor, product_id, quantity
