package dev.aggregator.config;

/**
 * One vendor as configured: its name (used in orders and filters), its product-list URL, and its own
 * delivery settings where it has them (null: the global default). Rate in requests per second,
 * time-out in milliseconds.
 */
public record VendorConfig(String name, String url, Double rateLimit, Integer concurrency, Long timeoutMillis) {

    public VendorConfig(String name, String url) {
        this(name, url, null, null, null);
    }
}
