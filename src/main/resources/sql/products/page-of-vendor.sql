-- page.sql for one vendor (?vendor=): a statement of its own, so even a generic plan reads only that
-- vendor's range of products_listing.
SELECT vendor, product_id, name, price::text, GREATEST(vendor_stock - reserved, 0) AS stock, vendor_stock, reserved,
       (fetched_at AT TIME ZONE 'UTC')::text, (updated_at AT TIME ZONE 'UTC')::text, (delisted_at AT TIME ZONE 'UTC')::text,
       (SELECT coalesce(sum(products), 0) FROM product_counts WHERE vendor = :vendor) AS total,
       (SELECT pg_current_snapshot()::text) AS snapshot
  FROM products
 WHERE vendor = :vendor AND (vendor, length(product_id), product_id) > (:afterVendor, :afterLength, :afterId)
 ORDER BY vendor, length(product_id), product_id
 LIMIT :rows OFFSET :offset
