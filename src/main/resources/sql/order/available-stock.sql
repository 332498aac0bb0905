SELECT GREATEST(vendor_stock - reserved, 0) FROM products WHERE vendor = :vendor AND product_id = :productId
