-- GET /products' total, with the snapshot it was counted under: kept until the database changes.
SELECT count(*) AS total, pg_current_snapshot()::text AS snapshot FROM products
