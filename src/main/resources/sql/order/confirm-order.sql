-- The vendor confirmed: in one statement (atomic, one round trip), the PENDING order becomes SYNCED and its
-- units leave our reservation and the stock number alike; fetches that started before this moment no
-- longer overwrite the stock (see upsert-products.sql). A redelivered message for a finished order
-- matches no row and changes nothing.
-- "(status = …) IS TRUE" keeps the lookup on the primary key: as a plain condition, statistics taken
-- while no order had that status made PostgreSQL scan the status index instead, every such order per call
-- (OrderPlansIT).
WITH synced AS (
    UPDATE orders
       SET status = 'SYNCED', attempts = attempts + :attempts, last_error = NULL, synced_at = now(), updated_at = now()
     WHERE order_id = :orderId AND (status = 'PENDING') IS TRUE
    RETURNING vendor, product_id, quantity
)
UPDATE products p
   SET reserved = GREATEST(p.reserved - s.quantity, 0),
       vendor_stock = GREATEST(p.vendor_stock - s.quantity, 0),
       stock_confirmed_at = GREATEST(COALESCE(p.stock_confirmed_at, :confirmedAt), :confirmedAt)
  FROM synced s
 WHERE p.vendor = s.vendor AND p.product_id = s.product_id
RETURNING p.vendor
