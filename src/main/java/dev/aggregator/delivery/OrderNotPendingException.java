package dev.aggregator.delivery;

/** The order's call was due, but the order is no longer PENDING (cancelled, or finished by another copy): not sent. */
public class OrderNotPendingException extends RuntimeException {

    public OrderNotPendingException(String orderId) {
        super("order " + orderId + " is no longer PENDING: not sent");
    }
}
