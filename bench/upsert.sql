-- pgbench: PostgreSQL's ceiling for the stock upsert (sql/upsert-products.sql), as a batch of :batch rows
-- in one statement, into a scratch table shaped like products.
\set base random(1, 1000000)
INSERT INTO bench_products (vendor, product_id, name, price, vendor_stock, raw, source, fetched_at, updated_at)
SELECT 'bench', (CAST(:base AS int) + g)::text, 'Product ' || g, 9.99, 42, '{"id":1,"title":"x","price":9.99,"stock":42}'::jsonb, 'pgbench', now(), now()
  FROM generate_series(1, CAST(:batch AS int)) g
ON CONFLICT (vendor, product_id) DO UPDATE
   SET name = EXCLUDED.name, price = EXCLUDED.price, vendor_stock = EXCLUDED.vendor_stock, raw = EXCLUDED.raw,
       source = EXCLUDED.source, fetched_at = EXCLUDED.fetched_at, updated_at = now()
 WHERE bench_products.fetched_at <= EXCLUDED.fetched_at;
