-- A replayed dead letter: the FAILED order goes back to PENDING (its reservation is taken again separately),
-- a fresh start: the waiting limit's clock (waiting_since) too.
-- "(status = …) IS TRUE" keeps the lookup on the primary key: as a plain condition, statistics taken
-- while no order had that status made PostgreSQL scan the status index instead, every such order per call
-- (OrderPlansIT).
UPDATE orders
   SET status = 'PENDING', last_error = NULL, failed_at = NULL, waiting_since = NULL, updated_at = now()
 WHERE order_id = :orderId AND (status = 'FAILED') IS TRUE
RETURNING vendor, product_id, quantity, trace_parent
