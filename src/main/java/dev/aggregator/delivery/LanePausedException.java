package dev.aggregator.delivery;

/**
 * The vendor asked for a pause (a 429 or 503 with Retry-After) that has not ended: no call of its lane goes
 * out before then. The order waits out the rest of the pause, its attempts untouched (DeliveryErrors), as
 * an order waits on an open breaker. Never dead-lettered by itself.
 */
public class LanePausedException extends RuntimeException {

    private final long remainingMillis;

    public LanePausedException(String vendor, long remainingMillis, String until) {
        super("vendor " + vendor + " asked for a pause until " + until + "; the order waits", null, false, false);
        this.remainingMillis = remainingMillis;
    }

    /** How long the pause still lasts, rounded up to a whole millisecond. */
    public long remainingMillis() {
        return remainingMillis;
    }
}
