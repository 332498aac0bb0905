-- A page of the local catalogue in the listing's order (vendor, then natural id order: 2 before 10), after
-- the cursor's product and the offset. The cursor makes it a range of products_listing, however deep it
-- starts (without one the bound is below every product). :rows is one more than the page, to tell whether
-- another follows. Text where the answer writes text: numeric as written, times in UTC (Timestamps); the
-- total as the triggers of V10 keep it (no count of the catalogue), and the snapshot read under (SnapshotCache).
SELECT vendor, product_id, name, price::text, GREATEST(vendor_stock - reserved, 0) AS stock, vendor_stock, reserved,
       (fetched_at AT TIME ZONE 'UTC')::text, (updated_at AT TIME ZONE 'UTC')::text, (delisted_at AT TIME ZONE 'UTC')::text,
       (SELECT coalesce(sum(products), 0) FROM product_counts) AS total,
       (SELECT pg_current_snapshot()::text) AS snapshot
  FROM products
 WHERE (vendor, length(product_id), product_id) > (:afterVendor, :afterLength, :afterId)
 ORDER BY vendor, length(product_id), product_id
 LIMIT :rows OFFSET :offset
