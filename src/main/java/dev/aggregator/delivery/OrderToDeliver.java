package dev.aggregator.delivery;

/**
 * One order as its delivery read it when the message arrived: what to send, whether it is still to be
 * sent, and how old it was then (on the database's clock, so the waiting limit does not depend on ours).
 */
public record OrderToDeliver(String orderId, String vendor, String productId, int quantity, String status,
                             double ageSeconds, long readAtNanos) {

    /** Only a PENDING order is sent; a redelivered message for a finished one is acknowledged and dropped. */
    public boolean pending() {
        return "PENDING".equals(status);
    }

    /** How long the order has existed at nowNanos (System.nanoTime), in milliseconds. */
    public double ageMillis(long nowNanos) {
        return ageSeconds * 1000 + (nowNanos - readAtNanos) / 1e6;
    }
}
