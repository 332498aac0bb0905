-- The vendor's own reference for an order (its order number, ticket, reservation id), read from its answer
-- by the vendor file's orderRef expression (issue 24): shown with the order, the list and the dashboard.
ALTER TABLE orders ADD COLUMN vendor_ref text;
