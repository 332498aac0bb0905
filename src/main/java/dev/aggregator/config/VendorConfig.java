package dev.aggregator.config;

/** One vendor as configured: its name (used in orders and filters) and its product-list URL. */
public record VendorConfig(String name, String url) {
}
