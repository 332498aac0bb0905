-- Traces (issue 27): the traceparent of the request that placed the order, kept with the order (the outbox row
-- that also carries it is deleted once published), so that a replay from the admin API, days later, links its
-- own trace to the order's first one. NULL when tracing was off.
ALTER TABLE orders ADD COLUMN trace_parent text;
