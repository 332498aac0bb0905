SELECT count(*) FROM orders WHERE (CAST(:status AS text) IS NULL OR status = CAST(:status AS text))
