package dev.aggregator.delivery;

/**
 * The order's vendor is no longer configured: nothing can deliver it, so it ends FAILED with its stock
 * returned (not left PENDING, re-sent by reconciliation and dead-lettered again every round).
 */
public class VendorGoneException extends InvalidOrderMessageException {
    public VendorGoneException(String vendor) {
        super("vendor '" + vendor + "' is no longer configured");
    }
}
