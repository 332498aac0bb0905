package dev.aggregator.vendor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.api.ProblemException;

/**
 * A built-in vendor that behaves like the third parties we integrate with, so the service works out of
 * the box and tests need no mocks: it lists its catalogue (paged like dummyjson, or as a bare array) and
 * confirms orders by PUT, decrementing stock once per Idempotency-Key.
 */
public class DemoVendor {

    private final String name;
    private final String idField;
    private final String stockField;
    private final List<Map<String, Object>> catalogue;
    private final Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
    private final Map<String, Confirmation> confirmations = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final java.util.concurrent.atomic.AtomicLong orderRequests = new java.util.concurrent.atomic.AtomicLong();
    // The last REQUEST_TIMES_KEPT arrival times only: a long-running demo or benchmark must not grow without bound.
    private static final int REQUEST_TIMES_KEPT = 10_000;
    private final java.util.ArrayDeque<Long> requestTimes = new java.util.ArrayDeque<>();
    private volatile Faults faults = Faults.NONE;

    /**
     * Trouble to act out on order PUTs, so users and tests can watch retries and dead letters:
     * the next failNext requests answer failStatus, then each fails with failureRate; latencyMs delays every answer.
     */
    public record Faults(int failNext, int failStatus, double failureRate, long latencyMs) {
        public static final Faults NONE = new Faults(0, 503, 0, 0);

        public Faults {
            if (failNext < 0 || failStatus < 100 || failStatus > 599 || failureRate < 0 || failureRate > 1 || latencyMs < 0 || latencyMs > 60_000) {
                throw ProblemException.badRequest("faults need failNext >= 0, failStatus 100-599, failureRate 0-1, latencyMs 0-60000");
            }
        }
    }

    /** The answer to an order PUT: status and JSON body. */
    public record Confirmation(int status, Map<String, Object> body) {
    }

    DemoVendor(String name, List<Map<String, Object>> catalogue, ObjectMapper json) {
        this.name = name;
        this.json = json;
        this.catalogue = catalogue;
        this.idField = catalogue.isEmpty() || catalogue.get(0).containsKey("id") ? "id" : "sku";
        this.stockField = catalogue.isEmpty() || catalogue.get(0).containsKey("stock") ? "stock" : "inventory";
        for (Map<String, Object> p : catalogue) {
            byId.put(String.valueOf(p.get(idField)), p);
        }
    }

    /**
     * Loads the catalogue from the classpath. With {@code size} larger than the file, the catalogue is
     * repeated with new ids up to that many products (the benchmark's large vendors).
     */
    public static DemoVendor load(String name, String resource, ObjectMapper json, int size) {
        return load(name, resource, json, size, 0);
    }

    /**
     * As {@link #load(String, String, ObjectMapper, int)}; with {@code stock} above 0 every product starts
     * with that stock, so a benchmark's orders are not refused by the vendor's small demo numbers.
     */
    public static DemoVendor load(String name, String resource, ObjectMapper json, int size, int stock) {
        try (InputStream in = DemoVendor.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("demo catalogue " + resource + " is missing from the classpath");
            }
            List<Map<String, Object>> base = json.readValue(in, new TypeReference<>() { });
            List<Map<String, Object>> all = new ArrayList<>(base);
            boolean numeric = base.get(0).containsKey("id");
            for (int i = base.size(); i < size; i++) {
                Map<String, Object> copy = new LinkedHashMap<>(base.get(i % base.size()));
                if (numeric) {
                    copy.put("id", i + 1);
                } else {
                    copy.put("sku", "VB-" + (1001 + i));
                }
                String title = numeric ? "title" : "name";
                copy.put(title, copy.get(title) + " #" + (i + 1));
                all.add(copy);
            }
            if (stock > 0) {
                String stockField = all.get(0).containsKey("stock") ? "stock" : "inventory";
                all.forEach(p -> p.put(stockField, stock));
            }
            return new DemoVendor(name, all, json);
        } catch (IOException e) {
            throw new UncheckedIOException("demo catalogue " + resource + " cannot be read", e);
        }
    }

    public String name() {
        return name;
    }

    public int size() {
        return catalogue.size();
    }

    /** dummyjson's shape: {"products":[…],"total","skip","limit"}; limit defaults to 30, 0 means all. */
    public synchronized String page(String limitParam, String skipParam) throws IOException {
        int limit = intParam("limit", limitParam, 30);
        int skip = intParam("skip", skipParam, 0);
        int from = Math.min(skip, catalogue.size());
        int to = limit == 0 ? catalogue.size() : Math.min(catalogue.size(), from + limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("products", catalogue.subList(from, to));
        page.put("total", catalogue.size());
        page.put("skip", skip);
        page.put("limit", to - from);
        return json.writeValueAsString(page);
    }

    /** The whole catalogue as a bare JSON array, as some vendors answer. */
    public synchronized String all() throws IOException {
        return json.writeValueAsString(catalogue);
    }

    /**
     * Confirms an order for a product: the same Idempotency-Key always gets the first answer and
     * moves stock only once; a different key is a different order.
     */
    public Confirmation confirm(String productId, String idempotencyKey, String body) {
        orderRequests.incrementAndGet();
        synchronized (requestTimes) {
            if (requestTimes.size() == REQUEST_TIMES_KEPT) {
                requestTimes.removeFirst();
            }
            requestTimes.addLast(System.nanoTime());
        }
        Confirmation fault = injectedFault();
        if (fault != null) {
            return fault;
        }
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw ProblemException.badRequest("Idempotency-Key header is required");
        }
        Map<String, Object> order = parseOrder(body);
        return confirmations.computeIfAbsent(idempotencyKey, key -> apply(productId, key, order));
    }

    private synchronized Confirmation apply(String productId, String key, Map<String, Object> order) {
        Map<String, Object> product = byId.get(productId);
        if (product == null) {
            return new Confirmation(404, Map.of("error", "unknown product " + productId));
        }
        int quantity = ((Number) order.get("quantity")).intValue();
        int stock = ((Number) product.get(stockField)).intValue();
        if (stock < quantity) {
            return new Confirmation(409, Map.of("error", "only " + stock + " left of product " + productId));
        }
        product.put(stockField, stock - quantity);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orderId", order.get("orderId"));
        answer.put("productId", productId);
        answer.put("quantity", quantity);
        answer.put("remaining", stock - quantity);
        answer.put("status", "CONFIRMED");
        return new Confirmation(200, answer);
    }

    private synchronized Confirmation injectedFault() {
        Faults f = faults;
        boolean fail = false;
        if (f.failNext() > 0) {
            faults = new Faults(f.failNext() - 1, f.failStatus(), f.failureRate(), f.latencyMs());
            fail = true;
        } else if (f.failureRate() > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < f.failureRate()) {
            fail = true;
        }
        return fail ? new Confirmation(f.failStatus(), Map.of("error", "injected failure (demo vendor faults)")) : null;
    }

    public Faults faults() {
        return faults;
    }

    public void setFaults(Faults faults) {
        this.faults = faults;
    }

    /** Sets faults from a JSON body: {"failNext","failStatus","failureRate","latencyMs"}, missing fields default. */
    public Faults setFaults(String body) {
        try {
            Map<String, Object> m = body == null || body.isBlank() ? Map.of() : json.readValue(body, new TypeReference<Map<String, Object>>() { });
            Faults f = new Faults(((Number) m.getOrDefault("failNext", 0)).intValue(), ((Number) m.getOrDefault("failStatus", 503)).intValue(),
                    ((Number) m.getOrDefault("failureRate", 0)).doubleValue(), ((Number) m.getOrDefault("latencyMs", 0)).longValue());
            faults = f;
            return f;
        } catch (IOException | ClassCastException e) {
            throw ProblemException.badRequest("faults must be a JSON object with numbers failNext, failStatus, failureRate, latencyMs");
        }
    }

    public long latencyMs() {
        return faults.latencyMs();
    }

    /** Every order PUT received, repeats with the same Idempotency-Key included. */
    public long orderRequests() {
        return orderRequests.get();
    }

    /** When the last (up to 10,000) order PUTs arrived (System.nanoTime), oldest first, for rate-limit checks. */
    public java.util.List<Long> requestTimes() {
        synchronized (requestTimes) {
            return java.util.List.copyOf(requestTimes);
        }
    }

    /** How many distinct orders this vendor has confirmed (tests count deliveries with it). */
    public long confirmedOrders() {
        return confirmations.values().stream().filter(c -> c.status() == 200).count();
    }

    public synchronized int stockOf(String productId) {
        Map<String, Object> product = byId.get(productId);
        return product == null ? -1 : ((Number) product.get(stockField)).intValue();
    }

    /** Lets tests and demos set a product's stock as if the vendor sold elsewhere. */
    public synchronized void setStock(String productId, int stock) {
        Map<String, Object> product = byId.get(productId);
        if (product == null) {
            throw new IllegalArgumentException("unknown product " + productId);
        }
        product.put(stockField, stock);
    }

    private Map<String, Object> parseOrder(String body) {
        Map<String, Object> order;
        try {
            order = body == null || body.isBlank() ? null : json.readValue(body, new TypeReference<>() { });
        } catch (IOException e) {
            throw ProblemException.badRequest("body is not JSON");
        }
        if (order == null || order.get("orderId") == null) {
            throw ProblemException.badRequest("body must hold orderId and quantity");
        }
        if (!(order.get("quantity") instanceof Integer q) || q <= 0) {
            throw ProblemException.badRequest("quantity must be a positive integer");
        }
        return order;
    }

    private static int intParam(String name, String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < 0) {
                throw ProblemException.badRequest(name + " must not be negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + " must be an integer, not '" + raw + "'");
        }
    }
}
