-- The order, locked for its cancel: the lane's call-starting.sql takes the same row lock, so a cancel and
-- a call about to go out are decided one after the other, never both (OrderCancel). The order row first,
-- then the product (release-reservation.sql): the lock order of confirm-order.sql and mark-failed.sql.
SELECT status, calls_unresolved, vendor, product_id, quantity FROM orders WHERE order_id = :orderId FOR UPDATE
