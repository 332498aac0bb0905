package dev.aggregator.delivery;

/**
 * The vendor's circuit breaker is open (or its one half-open probe is out): the order waits, its attempts
 * untouched, and asks again after a short delay. Never dead-lettered by itself.
 */
public class LaneOpenException extends RuntimeException {
    public LaneOpenException(String vendor) {
        super("vendor " + vendor + " is unavailable (circuit breaker open); the order waits", null, false, false);
    }
}
