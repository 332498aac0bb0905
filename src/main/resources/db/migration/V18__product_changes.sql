-- GET /products?updatedSince= (issue 26): the changes feed. Each product carries the transaction that last
-- changed what a client of the feed sees (name, price, vendor_stock, reserved, delisted_at) and when. The
-- feed answers in (changed_xid, vendor, product_id) order, and only changes of transactions older than its
-- snapshot's xmin: every transaction below that xmin has ended, so no change can still commit behind a
-- cursor already handed out (a timestamp is taken before its commit, and commits come in any order).
--
-- Rows that exist now count as changed before the feed began: xid 0 (below every real one) and this
-- migration's time. Both defaults are constants (now() is stable), so adding the columns rewrites nothing;
-- the defaults that stamp new rows are set afterwards.
ALTER TABLE products ADD COLUMN changed_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE products ADD COLUMN changed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE products ALTER COLUMN changed_xid SET DEFAULT pg_current_xact_id();
ALTER TABLE products ALTER COLUMN changed_at SET DEFAULT clock_timestamp();

-- Only a real change restamps a row: every poll rewrites every product it lists (fetched_at, raw), and a
-- restamp there would put the whole catalogue back into the feed each poll. The WHEN clause is evaluated without calling the function; the rows it lets through are the
-- ones that changed. Orders (reserve, confirm, release), delisting and any later statement are covered alike.
-- pg_current_xact_id() is the top-level transaction's id, the one snapshots and commit order are about.
CREATE FUNCTION product_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_xid := pg_current_xact_id();
    NEW.changed_at := clock_timestamp();
    RETURN NEW;
END $$;

CREATE TRIGGER products_changed BEFORE UPDATE ON products FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
          OR OLD.price IS DISTINCT FROM NEW.price
          OR OLD.vendor_stock IS DISTINCT FROM NEW.vendor_stock
          OR OLD.reserved IS DISTINCT FROM NEW.reserved
          OR OLD.delisted_at IS DISTINCT FROM NEW.delisted_at)
    EXECUTE FUNCTION product_changed();

-- The feed's keyset. Its cost is on the sync path: a poll's rewrite of a product is rarely a HOT update (the
-- new version seldom fits the full page), so each rewrite adds an entry here as in the other two indexes,
-- changed or not (README, "Changes since": measured).
CREATE INDEX products_changes ON products (changed_xid, vendor, product_id);
