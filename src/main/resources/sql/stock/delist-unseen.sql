-- Every product of the vendor's poll at :fetchedAt was applied (PollProgress): a product whose last listing is
-- older was not in that poll, and goes to stock 0 until a listing brings it back. (A product whose message was
-- dead-lettered in that poll is delisted too, until a poll lists it again.) Rows are locked in key order, as the
-- upsert locks them (upsert-products.sql): a delisting and a next poll's upsert wait for each other, never deadlock;
-- a row a newer upsert listed meanwhile no longer matches once locked, and stays listed.
UPDATE products p
   SET vendor_stock = 0, delisted_at = clock_timestamp(), updated_at = now()
  FROM (SELECT vendor, product_id FROM products
         WHERE vendor = :vendor AND delisted_at IS NULL AND fetched_at < CAST(:fetchedAt AS timestamptz)
         ORDER BY vendor, product_id
           FOR UPDATE) d
 WHERE p.vendor = d.vendor AND p.product_id = d.product_id
