-- GET /products/{vendor}/{id}: one product, the columns of page.sql (ProductListing writes both), by its key.
SELECT p.vendor, p.product_id, p.name, p.price::text, GREATEST(p.vendor_stock - p.reserved, 0) AS stock, p.vendor_stock,
       p.reserved, (p.fetched_at AT TIME ZONE 'UTC')::text, (p.updated_at AT TIME ZONE 'UTC')::text,
       (p.delisted_at AT TIME ZONE 'UTC')::text,
       (SELECT pg_current_snapshot()::text) AS snapshot
  FROM products p
 WHERE p.vendor = :vendor AND p.product_id = :id
