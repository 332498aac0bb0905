-- One product from a vendor fetch. Unique on (vendor, product_id); a fetch older than the stored one
-- never overwrites it (messages can arrive out of order across consumers and redeliveries).
INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, source, fetched_at, updated_at)
VALUES (:#vendor, :#productId, :#name, :#price, :#stock, CAST(:#raw AS jsonb), :#source, :#fetchedAt, now())
ON CONFLICT (vendor, product_id) DO UPDATE
   SET name = EXCLUDED.name,
       price = EXCLUDED.price,
       -- A fetch that started before our last confirmed order may predate it at the vendor: keep our
       -- number (already decremented by the confirm) until a later fetch arrives.
       vendor_stock = CASE WHEN products.stock_confirmed_at IS NULL OR EXCLUDED.fetched_at > products.stock_confirmed_at
                           THEN EXCLUDED.vendor_stock ELSE products.vendor_stock END,
       raw = EXCLUDED.raw,
       source = EXCLUDED.source,
       fetched_at = EXCLUDED.fetched_at,
       updated_at = now()
 WHERE products.fetched_at <= EXCLUDED.fetched_at
