-- Every product of the cart, locked in one fixed order (vendor, then product id): two carts sharing
-- products take their locks in the same order, so neither can hold one the other waits for (no deadlock).
-- Single orders lock one product row only. What is available is read under the lock, so the check in
-- CartCheck and the reservation that follows cannot be overtaken.
SELECT p.vendor, p.product_id, p.price, GREATEST(p.vendor_stock - p.reserved, 0) AS available
  FROM products p
 WHERE (p.vendor, p.product_id) IN (SELECT v, i FROM unnest(CAST(:vendors AS text[]), CAST(:productIds AS text[])) AS t (v, i))
 ORDER BY p.vendor, p.product_id
   FOR NO KEY UPDATE OF p  -- the lock an UPDATE takes: foreign-key checks of orders being inserted are not blocked
