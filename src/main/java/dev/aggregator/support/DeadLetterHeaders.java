package dev.aggregator.support;

/** The headers every dead letter carries (both flows write them, the admin API reads them). */
public final class DeadLetterHeaders {

    /** A stable id per letter, so an operator can replay or discard exactly that one. */
    public static final String ID = "x-dead-letter-id";
    public static final String ORDER_ID = "x-order-id";
    public static final String REASON = "x-failure-reason";
    public static final String ATTEMPTS = "x-attempts";
    public static final String FAILED_AT = "x-failed-at";
    public static final String ORIGINAL_QUEUE = "x-original-queue";
    public static final String VENDOR = "x-vendor";
    /** The vendor's reference for the order, when its refusal carried one (its file's orderRef, or an order route's vendorRef). */
    public static final String VENDOR_REF = "x-vendor-ref";

    private DeadLetterHeaders() {
    }
}
