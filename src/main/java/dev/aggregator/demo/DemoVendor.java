package dev.aggregator.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.support.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * A built-in vendor that behaves like the third parties we integrate with, so the service works out of
 * the box and tests need no mocks: it lists its catalogue (paged like dummyjson, or as a bare array) and
 * confirms orders by PUT, decrementing stock once per Idempotency-Key.
 */
public class DemoVendor {

    private final String name;
    private final String idField;
    private final String stockField;
    private final String titleField;
    // The shipped records, and per product only what differs: the benchmark's 25,000-product vendors live
    // in the service's own heap, so product i is rebuilt from base[i % base.size()] when it is listed.
    private final List<Map<String, Object>> base;
    private final int[] stock;
    private final Map<String, Integer> indexById = new java.util.HashMap<>();
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

    /**
     * The answer to an order PUT, kept per Idempotency-Key for as long as the vendor lives: so it holds the
     * few values of the answer, and {@link #body()} builds the JSON object when it is sent.
     */
    public record Confirmation(int status, String error, String orderId, String productId, int quantity, int remaining) {

        static Confirmation error(int status, String error) {
            return new Confirmation(status, error, null, null, 0, 0);
        }

        /** The JSON body: the confirmation, or {"error": …}. */
        public Map<String, Object> body() {
            if (error != null) {
                return Map.of("error", error);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("orderId", orderId);
            answer.put("productId", productId);
            answer.put("quantity", quantity);
            answer.put("remaining", remaining);
            answer.put("status", "CONFIRMED");
            return answer;
        }
    }

    DemoVendor(String name, List<Map<String, Object>> base, int size, int initialStock, ObjectMapper json) {
        this.name = name;
        this.json = json;
        this.base = base;
        this.idField = base.isEmpty() || base.get(0).containsKey("id") ? "id" : "sku";
        this.stockField = base.isEmpty() || base.get(0).containsKey("stock") ? "stock" : "inventory";
        this.titleField = "id".equals(idField) ? "title" : "name";
        this.stock = new int[Math.max(size, base.size())];
        for (int i = 0; i < stock.length; i++) {
            stock[i] = initialStock > 0 ? initialStock : ((Number) base.get(i % base.size()).get(stockField)).intValue();
            indexById.put(idOf(i), i);
        }
    }

    /** The id of product i: the shipped one, then numbers (vendorA) or skus (vendorB) continuing the file's. */
    private String idOf(int i) {
        if (i < base.size()) {
            return String.valueOf(base.get(i).get(idField));
        }
        return "id".equals(idField) ? String.valueOf(i + 1) : "VB-" + (1001 + i);
    }

    /** Product i as the vendor lists it, with its current stock. */
    private Map<String, Object> product(int i) {
        Map<String, Object> p = new LinkedHashMap<>(base.get(i % base.size()));
        if (i >= base.size()) {
            p.put(idField, "id".equals(idField) ? (Object) (i + 1) : idOf(i));
            p.put(titleField, p.get(titleField) + " #" + (i + 1));
        }
        p.put(stockField, stock[i]);
        return p;
    }

    /**
     * Products from..to-1, each built as Jackson writes it. The benchmark's bare-array vendor lists 25,000
     * products in one answer: built as a list first, they were tens of megabytes held at once in the heap
     * the service under test shares with it (bench/results/history.md).
     */
    private Iterator<Map<String, Object>> products(int from, int to) {
        return IntStream.range(from, to).mapToObj(this::product).iterator();
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
            return new DemoVendor(name, base, size, stock, json);
        } catch (IOException e) {
            throw new UncheckedIOException("demo catalogue " + resource + " cannot be read", e);
        }
    }

    public String name() {
        return name;
    }

    public int size() {
        return stock.length;
    }

    /** dummyjson's shape: {"products":[…],"total","skip","limit"}; limit defaults to 30, 0 means all. */
    public synchronized byte[] page(String limitParam, String skipParam) throws IOException {
        int limit = intParam("limit", limitParam, 30);
        int skip = intParam("skip", skipParam, 0);
        int from = Math.min(skip, stock.length);
        int to = limit == 0 ? stock.length : Math.min(stock.length, from + limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("products", products(from, to));
        page.put("total", stock.length);
        page.put("skip", skip);
        page.put("limit", to - from);
        return json.writeValueAsBytes(page);
    }

    /** The whole catalogue as a bare JSON array, as some vendors answer. */
    public synchronized byte[] all() throws IOException {
        return json.writeValueAsBytes(products(0, stock.length));
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

    /**
     * The PUT route's whole answer in one call: the benchmark's vendor shares the service's CPU, and the
     * simple-language bean binding and OGNL answer route it replaced cost more than the confirmation.
     */
    public void answerOrder(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        Confirmation c = confirm(message.getHeader("id", String.class), message.getHeader("Idempotency-Key", String.class),
                message.getBody(String.class));
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, c.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.writeValueAsString(c.body()));
    }

    private synchronized Confirmation apply(String productId, String key, Map<String, Object> order) {
        Integer i = indexById.get(productId);
        if (i == null) {
            return Confirmation.error(404, "unknown product " + productId);
        }
        int quantity = ((Number) order.get("quantity")).intValue();
        int left = stock[i];
        if (left < quantity) {
            return Confirmation.error(409, "only " + left + " left of product " + productId);
        }
        stock[i] = left - quantity;
        return new Confirmation(200, null, String.valueOf(order.get("orderId")), productId, quantity, left - quantity);
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
        return fail ? Confirmation.error(f.failStatus(), "injected failure (demo vendor faults)") : null;
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
        Integer i = indexById.get(productId);
        return i == null ? -1 : stock[i];
    }

    /** Lets tests and demos set a product's stock as if the vendor sold elsewhere. */
    public synchronized void setStock(String productId, int stock) {
        Integer i = indexById.get(productId);
        if (i == null) {
            throw new IllegalArgumentException("unknown product " + productId);
        }
        this.stock[i] = stock;
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
