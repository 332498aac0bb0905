-- The vendor took the units: they leave our reservation and its stock number alike, and fetches that
-- started before this moment no longer overwrite the stock (see upsert-product.sql).
UPDATE products
   SET reserved = GREATEST(reserved - :quantity, 0),
       vendor_stock = GREATEST(vendor_stock - :quantity, 0),
       stock_confirmed_at = GREATEST(COALESCE(stock_confirmed_at, :confirmedAt), :confirmedAt)
 WHERE vendor = :vendor AND product_id = :productId
