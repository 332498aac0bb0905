-- The local copy of every vendor's catalogue. vendor_stock is the vendor's last reported number;
-- reserved holds units of accepted orders the vendor has not reflected yet; what can be ordered is
-- vendor_stock - reserved (see DESIGN.md "Stock that is never oversold").
CREATE TABLE products (
    vendor        text        NOT NULL,
    product_id    text        NOT NULL,
    name          text        NOT NULL,
    price         numeric(14, 2) NOT NULL CHECK (price >= 0),
    vendor_stock  integer     NOT NULL CHECK (vendor_stock >= 0),
    reserved      integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    raw           jsonb       NOT NULL,
    source        text,
    fetched_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (vendor, product_id)
);

-- GET /products pages in natural id order (2 before 10) within a vendor.
CREATE INDEX products_listing ON products (vendor, length(product_id), product_id);
