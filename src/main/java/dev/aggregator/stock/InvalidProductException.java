package dev.aggregator.stock;

/** A stock message that can never be stored; it goes to sync_from_external_dlq with this reason. */
public class InvalidProductException extends RuntimeException {
    public InvalidProductException(String reason) {
        super(reason);
    }
}
