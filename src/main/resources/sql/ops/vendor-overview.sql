SELECT v.vendor, v.url, v.last_poll_at, v.last_success_at, v.last_products, v.last_duration_ms, v.last_error,
       v.last_error_at, v.consecutive_errors,
       (SELECT count(*) FROM products p WHERE p.vendor = v.vendor) AS products
  FROM vendor_status v
 ORDER BY v.vendor
