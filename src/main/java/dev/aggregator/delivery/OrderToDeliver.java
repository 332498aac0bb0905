package dev.aggregator.delivery;

/**
 * One order as its delivery read it when the message arrived: what to send, whether it is still to be
 * sent, and how long it had already waited on its vendor's open breaker then (null: it had not; on the
 * database's clock, so the waiting limit does not depend on ours), and how long nothing had touched it.
 */
public record OrderToDeliver(String orderId, String vendor, String productId, int quantity, String status,
                             Double waitedSeconds, double idleSeconds, long readAtNanos, java.math.BigDecimal unitPrice,
                             String name) {

    /** Without the price and name (only a vendor file's order body uses them). */
    public OrderToDeliver(String orderId, String vendor, String productId, int quantity, String status, Double waitedSeconds,
                          double idleSeconds, long readAtNanos) {
        this(orderId, vendor, productId, quantity, status, waitedSeconds, idleSeconds, readAtNanos, null, null);
    }

    /** Only a PENDING order is sent; a redelivered message for a finished one is acknowledged and dropped. */
    public boolean pending() {
        return "PENDING".equals(status);
    }

    /** When (System.nanoTime) the order began waiting on an open breaker, as known when it was read; null if it had not. */
    public Long waitingSinceNanos() {
        return waitedSeconds == null ? null : readAtNanos - (long) (waitedSeconds * 1e9);
    }
}
