-- GET /products?updatedSince=: the products changed after the cursor (V18's trigger stamps each change with its
-- transaction), oldest change first, in the order of the products_changes index. Only changes of transactions
-- below the snapshot's xmin (the horizon) are answered: those transactions have all ended, so nothing can commit
-- behind the cursor this page hands out. pg_current_snapshot() is the statement's own snapshot, the one the
-- rows are read under. The horizon comes back even when no product does (the LEFT JOIN): an empty page still
-- moves the cursor up to it. :vendor '' is every vendor; :since '-infinity' is no instant (a cursor alone).
-- :rows is one more than the page, to tell whether another follows.
SELECT h.horizon::text AS horizon, c.*
  FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h
  LEFT JOIN LATERAL (
        SELECT p.vendor, p.product_id, p.name, p.price::text AS price, GREATEST(p.vendor_stock - p.reserved, 0) AS stock,
               p.vendor_stock, p.reserved, (p.fetched_at AT TIME ZONE 'UTC')::text AS fetched_at,
               (p.updated_at AT TIME ZONE 'UTC')::text AS updated_at, (p.delisted_at AT TIME ZONE 'UTC')::text AS delisted_at,
               (p.changed_at AT TIME ZONE 'UTC')::text AS changed_at, p.changed_xid::text AS changed_xid,
               p.changed_xid AS xid
          FROM products p
         WHERE p.changed_xid < h.horizon
           AND (p.changed_xid, p.vendor, p.product_id) > (CAST(:afterXid AS xid8), CAST(:afterVendor AS text), CAST(:afterId AS text))
           AND (CAST(:vendor AS text) = '' OR p.vendor = :vendor)
           AND p.changed_at > CAST(:since AS timestamptz)
         ORDER BY p.changed_xid, p.vendor, p.product_id
         LIMIT :rows) c ON true
 ORDER BY c.xid, c.vendor, c.product_id
