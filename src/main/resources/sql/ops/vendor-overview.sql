-- Each vendor's last poll as the dashboard shows it: the column names are the answer's field names, in order.
SELECT v.vendor, v.url,
       (SELECT count(*) FROM products p WHERE p.vendor = v.vendor) AS products,
       v.last_poll_at       AS "lastPollAt",
       v.last_success_at    AS "lastSuccessAt",
       v.last_products      AS "lastProducts",
       v.last_duration_ms   AS "lastDurationMs",
       v.last_error         AS "lastError",
       v.last_error_at      AS "lastErrorAt",
       v.consecutive_errors AS "consecutiveErrors"
  FROM vendor_status v
 ORDER BY v.vendor
