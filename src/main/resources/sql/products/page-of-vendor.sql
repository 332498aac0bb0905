-- page.sql for one vendor (?vendor=): a statement of its own, so even a generic plan reads only that
-- vendor's range of products_listing.
-- The rows skipped by an offset are read from the index alone (vendor and id are in products_listing), and
-- only the page's rows from the table: with 200,000 products the last page by offset took a sequential scan
-- and a sort of the whole table (0.9 s) as one statement; this way about 70 ms (history.md, seventh round).
SELECT p.vendor, p.product_id, p.name, p.price::text, GREATEST(p.vendor_stock - p.reserved, 0) AS stock, p.vendor_stock,
       p.reserved, (p.fetched_at AT TIME ZONE 'UTC')::text, (p.updated_at AT TIME ZONE 'UTC')::text,
       (p.delisted_at AT TIME ZONE 'UTC')::text,
       (SELECT coalesce(sum(products), 0) FROM product_counts WHERE vendor = :vendor) AS total,
       (SELECT pg_current_snapshot()::text) AS snapshot
  FROM (SELECT vendor, product_id, length(product_id) AS id_length
          FROM products
         WHERE vendor = :vendor AND (vendor, length(product_id), product_id) > (:afterVendor, :afterLength, :afterId)
         ORDER BY vendor, length(product_id), product_id
         LIMIT :rows OFFSET :offset) k
 CROSS JOIN LATERAL (SELECT * FROM products p WHERE p.vendor = k.vendor AND p.product_id = k.product_id) p
 ORDER BY k.vendor, k.id_length, k.product_id
