-- One line of a cart: an order like POST /order's, without a key of its own (the cart holds it).
INSERT INTO orders (order_id, vendor, product_id, quantity, unit_price, request_fingerprint, response, cart_id, cart_line, trace_parent)
VALUES (:orderId, :vendor, :productId, :quantity, :unitPrice, :fingerprint, CAST(:response AS jsonb), :cartId, :line,
        CAST(:traceParent AS text))
