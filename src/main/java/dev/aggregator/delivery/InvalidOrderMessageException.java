package dev.aggregator.delivery;

/** A message on sync_to_external that names no order we can deliver; it is dead-lettered as it is. */
public class InvalidOrderMessageException extends RuntimeException {
    public InvalidOrderMessageException(String reason) {
        super(reason, null, false, false);
    }
}
