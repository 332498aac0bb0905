-- A product that a vendor's complete listing no longer carries is delisted (issue 14): stock 0, so it
-- cannot be ordered, until a later listing brings it back. vendor_status remembers each vendor's last
-- complete poll, which is what the next poll compares with.
ALTER TABLE products ADD COLUMN delisted_at timestamptz;
ALTER TABLE vendor_status ADD COLUMN last_complete_fetch_at timestamptz;
