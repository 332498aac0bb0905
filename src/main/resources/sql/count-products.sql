SELECT count(*) FROM products WHERE (CAST(:#vendor AS text) IS NULL OR vendor = CAST(:#vendor AS text))
