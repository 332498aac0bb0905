-- GET /products' total when the page is empty (past the end): as the triggers of V10 keep it.
SELECT coalesce(sum(products), 0) FROM product_counts
