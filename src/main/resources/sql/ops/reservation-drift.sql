-- Reservations that open (PENDING) orders do not explain: each such row is a bug or a lost update.
SELECT p.vendor, p.product_id, p.reserved, COALESCE(o.pending, 0) AS pending
  FROM products p
  LEFT JOIN (SELECT vendor, product_id, sum(quantity) AS pending FROM orders WHERE status = 'PENDING' GROUP BY vendor, product_id) o
         ON o.vendor = p.vendor AND o.product_id = p.product_id
 WHERE p.reserved <> COALESCE(o.pending, 0)
 ORDER BY p.vendor, p.product_id
