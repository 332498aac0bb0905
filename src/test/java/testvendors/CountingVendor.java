package testvendors;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A vendor outside the cluster under test, so it survives when an instance is killed: a paged catalogue
 * and order PUTs, recording every poll (with the polling instance's User-Agent) and every PUT per
 * Idempotency-Key.
 */
public class CountingVendor implements AutoCloseable {

    /** One first-page GET: when, and which instance asked. */
    public record Poll(long nanos, String agent) {
    }

    private final HttpServer server;
    private final int products;
    private final List<Poll> polls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> putsByKey = new ConcurrentHashMap<>();

    private final long putLatencyMillis;

    /** putLatencyMillis: how long each order PUT takes, so orders are really in flight when an instance dies. */
    public CountingVendor(int products, long putLatencyMillis) throws IOException {
        this.products = products;
        this.putLatencyMillis = putLatencyMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/tv/products", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tv/products";
    }

    public List<Poll> polls() {
        return List.copyOf(polls);
    }

    public Map<String, AtomicInteger> putsByKey() {
        return putsByKey;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if ("GET".equals(x.getRequestMethod())) {
                Map<String, String> q = query(x.getRequestURI());
                int skip = Integer.parseInt(q.getOrDefault("skip", "0"));
                int limit = Integer.parseInt(q.getOrDefault("limit", "25"));
                if (skip == 0) {
                    polls.add(new Poll(System.nanoTime(), x.getRequestHeaders().getFirst("User-Agent")));
                }
                StringBuilder body = new StringBuilder("{\"products\":[");
                for (int i = skip; i < Math.min(products, skip + limit); i++) {
                    body.append(i > skip ? "," : "").append("{\"id\":").append(i + 1)
                            .append(",\"title\":\"Item ").append(i + 1).append("\",\"price\":1.5,\"stock\":100000}");
                }
                body.append("],\"total\":").append(products).append(",\"skip\":").append(skip).append(",\"limit\":").append(limit).append('}');
                answer(x, 200, body.toString());
            } else if ("PUT".equals(x.getRequestMethod())) {
                String key = x.getRequestHeaders().getFirst("Idempotency-Key");
                x.getRequestBody().readAllBytes();
                if (key == null) {
                    answer(x, 400, "{\"error\":\"Idempotency-Key required\"}");
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(putLatencyMillis * 1_000_000L);
                putsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                answer(x, 200, "{\"status\":\"CONFIRMED\"}");
            } else {
                answer(x, 405, "{}");
            }
        }
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> m = new ConcurrentHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2) {
                    m.put(kv[0], kv[1]);
                }
            }
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
