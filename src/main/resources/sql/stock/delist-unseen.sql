-- Every product of the vendor's poll at :fetchedAt was applied (PollProgress): a product whose last listing is
-- older was not in that poll, and goes to stock 0 until a listing brings it back. (A product whose message was
-- dead-lettered in that poll is delisted too, until a poll lists it again.)
UPDATE products
   SET vendor_stock = 0, delisted_at = clock_timestamp(), updated_at = now()
 WHERE vendor = :vendor AND delisted_at IS NULL AND fetched_at < CAST(:fetchedAt AS timestamptz)
