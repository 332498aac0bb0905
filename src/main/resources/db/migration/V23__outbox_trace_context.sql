-- Traces (issue 27): the W3C traceparent of the request that wrote the row, so the relay's publish after a
-- broker outage continues the order's trace. NULL when tracing is off.
ALTER TABLE outbox ADD COLUMN trace_parent text;
