-- Products of vendors no longer configured: nothing can be ordered from them (POST /order answers 404), so
-- their stock is 0 (the contract's stock is what can still be ordered). Delisted, not deleted: a vendor
-- configured again is listed again by its next poll. :vendors is the configured names joined by ','.
UPDATE products
   SET vendor_stock = 0, delisted_at = clock_timestamp(), updated_at = now()
 WHERE delisted_at IS NULL AND vendor <> ALL (string_to_array(:vendors, ','))
