-- GET /products with q, inStock, minPrice, maxPrice or sort (issue 26); the default listing keeps page.sql.
-- ProductSearch fills the markers with fixed fragments (ProductSort, ProductSearch.filters): the filters, the
-- keyset bound after the cursor's product, the order and its key; every value a client sends is a named
-- parameter. q is matched on product_search_text(name) (V16: lower case, no accents), which the trigram index
-- products_name_search serves. The total counts every match (filters, not the cursor), in the same statement
-- and snapshot as the page; with no filter it is product_counts' (V10).
SELECT p.vendor, p.product_id, p.name, p.price::text, GREATEST(p.vendor_stock - p.reserved, 0) AS stock, p.vendor_stock,
       p.reserved, (p.fetched_at AT TIME ZONE 'UTC')::text, (p.updated_at AT TIME ZONE 'UTC')::text,
       (p.delisted_at AT TIME ZONE 'UTC')::text,
       /*key*/ AS sort_key,
       /*total*/ AS total,
       (SELECT pg_current_snapshot()::text) AS snapshot
  FROM products p
 WHERE TRUE /*filters*/ /*after*/
 ORDER BY /*order*/
 LIMIT :rows OFFSET :offset
