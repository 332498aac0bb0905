-- count.sql for one vendor: an index-only range of products_listing.
SELECT count(*) AS total, pg_current_snapshot()::text AS snapshot FROM products WHERE vendor = :vendor
