-- GET /products' total without counting the catalogue (issue 17): products per vendor, kept by statement
-- triggers on products. Only statements that insert or delete products write here (a poll of products
-- already known inserts none, an order only updates), so the order path never touches it; the rows are
-- locked in vendor order, after the products, until the statement's transaction ends.
CREATE TABLE product_counts (
    vendor   text   PRIMARY KEY,
    products bigint NOT NULL
);

CREATE FUNCTION product_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_counts AS c (vendor, products)
    SELECT vendor, count(*) FROM inserted GROUP BY vendor ORDER BY vendor
    ON CONFLICT (vendor) DO UPDATE SET products = c.products + EXCLUDED.products;
    RETURN NULL;
END $$;

CREATE FUNCTION product_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE product_counts c SET products = c.products - d.n
      FROM (SELECT vendor, count(*) AS n FROM deleted GROUP BY vendor) d
     WHERE c.vendor = d.vendor;
    RETURN NULL;
END $$;

CREATE FUNCTION product_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM product_counts;
    RETURN NULL;
END $$;

-- The triggers first: they lock the table against writes until this migration commits, so the counts
-- below miss nothing another instance writes meanwhile.
CREATE TRIGGER products_counted_on_insert AFTER INSERT ON products REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION product_counts_inserted();
CREATE TRIGGER products_counted_on_delete AFTER DELETE ON products REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION product_counts_deleted();
CREATE TRIGGER products_counted_on_truncate AFTER TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION product_counts_truncated();

INSERT INTO product_counts (vendor, products) SELECT vendor, count(*) FROM products GROUP BY vendor;
