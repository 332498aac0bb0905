package dev.aggregator.delivery;

/** The order waited for its vendor longer than aggregator.delivery.max-wait-seconds: it ends FAILED. */
public class OrderExpiredException extends RuntimeException {
    public OrderExpiredException(String message) {
        super(message, null, false, false);
    }
}
