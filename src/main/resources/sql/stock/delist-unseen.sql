-- Products the vendor's previous complete poll did not list: every page of that poll was read, and one
-- period has passed, so its products were all upserted (their fetched_at is that poll's or later). One
-- still older was not in that listing: stock 0 until a listing brings it back. (A product whose message
-- was dead-lettered in that poll is delisted too, until the next poll lists it again.)
UPDATE products p
   SET vendor_stock = 0, delisted_at = clock_timestamp(), updated_at = now()
  FROM vendor_status s
 WHERE s.vendor = :vendor AND p.vendor = :vendor AND p.delisted_at IS NULL
   AND s.last_complete_fetch_at IS NOT NULL AND p.fetched_at < s.last_complete_fetch_at
