-- A page of the local catalogue; stock is what can still be ordered.
SELECT vendor, product_id, name, price, GREATEST(vendor_stock - reserved, 0) AS stock,
       vendor_stock, reserved, fetched_at, updated_at, delisted_at
  FROM products
 WHERE (CAST(:#vendor AS text) IS NULL OR vendor = CAST(:#vendor AS text))
 ORDER BY vendor, length(product_id), product_id
 LIMIT :#limit OFFSET :#offset
