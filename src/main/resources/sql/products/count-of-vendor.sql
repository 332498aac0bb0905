-- count.sql for one vendor.
SELECT coalesce(sum(products), 0) FROM product_counts WHERE vendor = :vendor
