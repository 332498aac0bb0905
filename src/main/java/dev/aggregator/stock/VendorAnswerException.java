package dev.aggregator.stock;

/** A vendor's answer that is not a product list (HTML, a JSON error object, no body): the poll fails. */
public class VendorAnswerException extends RuntimeException {

    public VendorAnswerException(String message) {
        super(message);
    }
}
