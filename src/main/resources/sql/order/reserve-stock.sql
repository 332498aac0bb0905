-- Reserve atomically: succeeds only while enough stock is left, whatever the concurrency.
UPDATE products
   SET reserved = reserved + :quantity
 WHERE vendor = :vendor AND product_id = :productId AND vendor_stock - reserved >= :quantity
RETURNING price
