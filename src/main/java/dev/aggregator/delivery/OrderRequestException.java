package dev.aggregator.delivery;

/**
 * The order request a vendor file describes cannot be built for this order (its orderUrl or orderBody
 * expression failed or gave nothing): the order fails with the reason, as a permanent failure would.
 */
public class OrderRequestException extends RuntimeException {
    public OrderRequestException(String message) {
        super(message);
    }
}
