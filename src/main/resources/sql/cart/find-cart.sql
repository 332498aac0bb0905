SELECT cart_id::text, (created_at AT TIME ZONE 'UTC')::text AS created_at FROM carts WHERE cart_id = :cartId
