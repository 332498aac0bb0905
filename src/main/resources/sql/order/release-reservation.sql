-- A FAILED order gives its units back, in the same transaction that marks it failed.
UPDATE products SET reserved = GREATEST(reserved - :quantity, 0) WHERE vendor = :vendor AND product_id = :productId
