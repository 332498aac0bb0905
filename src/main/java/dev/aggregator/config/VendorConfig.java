package dev.aggregator.config;

import java.util.Map;

/**
 * One vendor as configured: its name (used in orders and filters), its product-list URL (which may carry
 * user:password and a query string, e.g. an API key), its credentials, and its own settings where it has
 * them (null: the global default). Rate in requests per second, time-out and poll period in milliseconds.
 * toString never shows the URL's password, the token or header values: a config may end up in a log.
 */
public record VendorConfig(String name, String url, Double rateLimit, Integer concurrency, Long timeoutMillis,
                           Long pollPeriodMillis, String token, Map<String, String> headers, VendorApi api) {

    public VendorConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        token = token == null || token.isBlank() ? null : token.trim();
        api = api == null ? VendorApi.DEFAULT : api;
    }

    public VendorConfig(String name, String url, Double rateLimit, Integer concurrency, Long timeoutMillis,
                        Long pollPeriodMillis, String token, Map<String, String> headers) {
        this(name, url, rateLimit, concurrency, timeoutMillis, pollPeriodMillis, token, headers, VendorApi.DEFAULT);
    }

    public VendorConfig(String name, String url) {
        this(name, url, null, null, null, null, null, null);
    }

    public VendorConfig(String name, String url, Double rateLimit, Integer concurrency, Long timeoutMillis) {
        this(name, url, rateLimit, concurrency, timeoutMillis, null, null, null);
    }

    /** The same vendor, with credentials. */
    public VendorConfig withCredentials(String token, Map<String, String> headers) {
        return new VendorConfig(name, url, rateLimit, concurrency, timeoutMillis, pollPeriodMillis, token, headers, api);
    }

    @Override
    public String toString() {
        return "VendorConfig[" + name + ", " + Settings.redact(url) + (token == null ? "" : ", token ***")
                + (headers.isEmpty() ? "" : ", headers " + headers.keySet()) + "]";
    }
}
